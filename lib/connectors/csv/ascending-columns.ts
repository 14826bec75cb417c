import type { CsvColumn } from './csv-shape';
import { makeCsvValueReader } from './csv-column-values';

/**
 * Follows, record by record in file order, which integer columns are filled and strictly
 * ascending: an export sorted by its id. Such a column holds no value twice, so a mapping
 * that copies it unchanged into the target key cannot make two rows claim one key, and the
 * run need not claim keys (claim-target-keys.ts). Only integer columns count: their values
 * read as numbers, so "05" and "5" are one value here as in any target column they reach.
 * A column drops out at its first empty, non-integer or not-greater value, and is never
 * looked at again; once none is left the index stops asking for fields.
 */
export function trackAscendingColumns(columns: Pick<CsvColumn, 'name' | 'type' | 'format'>[]) {
  let live = columns.flatMap((column, at) => (column.type === 'integer' ? [{ name: column.name, at, read: makeCsvValueReader(column), last: null as bigint | null }] : []));
  return {
    get active(): boolean {
      return live.length > 0;
    },
    /** The fields of the next record that reads as a row (one that becomes an error row is never written, so it does not count). */
    add(fields: string[]) {
      if (live.length === 0) return;
      live = live.filter((column) => {
        const value = column.read(fields[column.at] ?? '');
        const n = typeof value === 'number' ? BigInt(value) : typeof value === 'string' && /^-?\d+$/.test(value) ? BigInt(value) : null;
        if (n === null || (column.last !== null && n <= column.last)) return false;
        column.last = n;
        return true;
      });
    },
    names: (): string[] => live.map((column) => column.name),
  };
}
