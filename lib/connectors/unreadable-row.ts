import type { Row } from './connector';

/**
 * A source record that could not be read as a row (a CSV line with too many fields,
 * invalid bytes …). The connector still yields it, in its place and with its key, marked
 * with this property: the row transformers (lib/engine/transform-rows.ts,
 * transform-list-rows.ts) turn it into an error row at the read stage, so nothing is
 * skipped silently and preview, run and replay agree. A plain enumerable property, so the
 * mark survives the structured clone that carries preview rows to their thread.
 */
export const UNREADABLE = '#unreadable';

export interface UnreadableRecord {
  code: string;
  message: string;
  /** What could be read, by column name (extra fields as field_N): shown and editable in the error row. */
  fields: Row;
}

export function markUnreadable<T extends object>(row: T, record: UnreadableRecord): T {
  (row as Record<string, unknown>)[UNREADABLE] = record;
  return row;
}

export function unreadableOf(row: object): UnreadableRecord | undefined {
  return (row as Record<string, UnreadableRecord | undefined>)[UNREADABLE];
}
