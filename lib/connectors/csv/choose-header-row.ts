import type { CsvColumnType } from './csv-shape';
import { modalWidth } from './choose-csv-delimiter';
import { valueFitsType } from './infer-column-type';

export interface ChosenHeaderRow {
  headerRow: number | null;
  confidence: number;
  note: string;
}

/**
 * The header candidate among the first 10 records: the one with the most filled cells (the
 * first of equals), which passes over title lines ("Export of 3 May") above it; or an
 * earlier record as wide as that one and at least half as filled, since a header with a
 * few blank names is still the header of the rows below it. Cells past the usual width
 * do not count: a broken line with a field too many is not a better header.
 */
export function findHeaderCandidate(leading: readonly (readonly string[])[]): number | null {
  const records = leading.slice(0, 10);
  const usual = modalWidth(records.map((record) => record.length)).width;
  const filled = records.map((record) => Math.min(usual, record.filter((cell) => cell.trim() !== '').length));
  const most = Math.max(0, ...filled);
  if (most === 0) return null;
  const best = filled.indexOf(most);
  const wide = records.findIndex((record, i) => i < best && record.length === records[best].length && filled[i] * 2 >= most);
  return wide >= 0 ? wide : best;
}

/**
 * Is the candidate a header or the first data row? Data rows fit the types of the columns
 * below them; header names ("id", "born") do not. Decided on the columns whose type is not
 * text: when at least half of their cells in the candidate fit, it is data. With only text
 * columns nothing tells them apart, and a header is the likelier (and the analyst sees it).
 */
export function judgeHeaderCandidate(
  candidate: number,
  cells: readonly string[],
  types: readonly { type: CsvColumnType; format?: string }[],
): ChosenHeaderRow {
  const typed = types.map((column, i) => ({ ...column, cell: cells[i] ?? '' })).filter((column) => column.type !== 'text' && column.cell.trim() !== '');
  const where = candidate === 0 ? 'the first record' : `record ${candidate + 1} (after ${candidate} title line${candidate === 1 ? '' : 's'})`;
  if (typed.length === 0) return { headerRow: candidate, confidence: 0.5, note: `${where} is taken as the header: every column is text, so nothing shows whether it is data` };
  const fitting = typed.filter((column) => valueFitsType(column.cell, column.type, column.format)).length;
  if (fitting * 2 >= typed.length) {
    return { headerRow: null, confidence: Number((0.5 + (0.45 * fitting) / typed.length).toFixed(2)), note: `no header: ${fitting} of ${typed.length} typed cells of ${where} fit their column's type, as data does` };
  }
  return { headerRow: candidate, confidence: Number((0.5 + (0.45 * (typed.length - fitting)) / typed.length).toFixed(2)), note: `${where} is the header: its cells are names, not values of the typed columns below` };
}
