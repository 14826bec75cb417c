import { stringify } from 'csv-stringify/sync';
import { neutraliseFormula } from './neutralise-formula';

/** A value as CSV text: empty for null, JSON for objects and arrays, text otherwise. */
export const csvCell = (value: unknown): string =>
  value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/**
 * CSV lines for rows of values: the only way Ferry writes CSV, so every cell (headers
 * included: source column names are the source's, not Ferry's) is neutralised against
 * formula injection (neutralise-formula.ts).
 */
export function csvRows(rows: readonly (readonly unknown[])[]): string {
  return stringify(rows.map((row) => row.map((value) => neutraliseFormula(csvCell(value)))));
}
