import { CSV_DELIMITERS } from './csv-shape';
import { parseCsvText } from './parse-csv-text';

export interface ChosenDelimiter {
  delimiter: string;
  confidence: number;
  note: string;
}

const SHOWN: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };
export const delimiterName = (delimiter: string) => SHOWN[delimiter] ?? JSON.stringify(delimiter);

/**
 * The candidate that splits the sample's records most consistently: the share of records
 * having the most common field count, that count being above one. Title lines above the
 * table do not count (the share starts at the first record of the common width); a decimal
 * comma in a semicolon file makes comma counts vary. Ties go to the wider split, then to
 * the one leaving fewer fields that start with a space, then to the order , ; tab |.
 */
export function chooseCsvDelimiter(text: string, quote: string): ChosenDelimiter {
  const scored = CSV_DELIMITERS.map((delimiter) => {
    const records = parseCsvText(text, { delimiter, quote, escape: quote }, 200);
    const widths = records.map((record) => record.length);
    const { width } = modalWidth(widths);
    // Title lines above the table are not records of it: the share counts from the first record of the common width.
    const body = widths.slice(Math.max(0, widths.indexOf(width)));
    const share = body.filter((count) => count === width).length / Math.max(1, body.length);
    // Prose splits on ", " and "; ": a field starting with a space hints the candidate cut inside text.
    const spaced = records.reduce((sum, record) => sum + record.filter((field, i) => i > 0 && field.startsWith(' ')).length, 0);
    return { delimiter, width, share: width > 1 ? share : 0, records: body.length, spaced };
  }).sort((a, b) => b.share - a.share || b.width - a.width || a.spaced - b.spaced);
  const [best, second] = scored;
  if (best.share === 0) return { delimiter: ',', confidence: 0.3, note: 'no candidate splits the records: one column, read with commas' };
  const close = second.share > 0 && best.share - second.share < 0.1;
  const percent = Math.round(best.share * 100);
  return {
    delimiter: best.delimiter,
    confidence: Number((best.share * (close ? 0.6 : 0.95)).toFixed(2)),
    note: `${delimiterName(best.delimiter)}: ${percent}% of ${best.records} records have ${best.width} fields${close ? `; ${delimiterName(second.delimiter)} splits nearly as well (${Math.round(second.share * 100)}%)` : ''}`,
  };
}

/** The most common value (ties: the larger) and the share of values equal to it. */
export function modalWidth(widths: readonly number[]): { width: number; share: number } {
  if (widths.length === 0) return { width: 0, share: 0 };
  const counts = new Map<number, number>();
  for (const width of widths) counts.set(width, (counts.get(width) ?? 0) + 1);
  let width = 0;
  let count = 0;
  for (const [candidate, seen] of counts) {
    if (seen > count || (seen === count && candidate > width)) [width, count] = [candidate, seen];
  }
  return { width, share: count / widths.length };
}
