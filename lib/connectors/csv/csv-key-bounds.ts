import type { KeyRange, KeyTuple, KeyValue } from '../connector';
import { compareCsvKeys, type KeyedCsvPart } from './csv-key-index';

/**
 * Where a read by key range of a CSV file starts and stops, in the file's own key (`_line`
 * or the column it is sorted by): a chunk's range, narrowed by a resume cursor (`after`) or
 * a batch read again (`through`). Keys ascend through the file, so a reader skips records
 * before the start and stops at the first past the end.
 */
export interface Bounds {
  lower: KeyValue | null;
  upper: KeyValue | null;
  after: KeyValue | null;
  through: KeyValue | null;
}

export const openBounds: Bounds = { lower: null, upper: null, after: null, through: null };

export function rangeBounds(range: KeyRange, after: KeyTuple | null, through: KeyTuple | null): Bounds {
  return { lower: range.lower?.[0] ?? null, upper: range.upper?.[0] ?? null, after: after?.[0] ?? null, through: through?.[0] ?? null };
}

/** Before the range's start (keep reading), inside it, or past its end (stop: keys ascend). */
export function place(key: KeyValue, b: Bounds): 'before' | 'inside' | 'past' {
  if (b.upper !== null && compareCsvKeys(key, b.upper) >= 0) return 'past';
  if (b.through !== null && compareCsvKeys(key, b.through) > 0) return 'past';
  if (b.lower !== null && compareCsvKeys(key, b.lower) < 0) return 'before';
  if (b.after !== null && compareCsvKeys(key, b.after) <= 0) return 'before';
  return 'inside';
}

/** The parts that can hold keys within the bounds: from the last one starting at or before the start, to the last starting before the end. */
export function partsWithin(parts: KeyedCsvPart[], b: Bounds): KeyedCsvPart[] {
  const start = [b.lower, b.after].filter((k) => k !== null).sort(compareCsvKeys).pop() ?? null;
  let from = 0;
  if (start !== null) {
    for (let i = 0; i < parts.length; i++) if (compareCsvKeys(parts[i].firstKey, start) <= 0) from = i;
  }
  let to = parts.length;
  for (let i = from; i < parts.length; i++) {
    const first = parts[i].firstKey;
    if ((b.upper !== null && compareCsvKeys(first, b.upper) >= 0) || (b.through !== null && compareCsvKeys(first, b.through) > 0)) {
      to = i;
      break;
    }
  }
  return parts.slice(from, to);
}
