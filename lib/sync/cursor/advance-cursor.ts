import type { CursorBatch, CursorKind, CursorPosition } from '../../connectors/connector';
import { compareCursor } from './cursor-value';

/**
 * The position after a batch: its last (cursor, key). Pure. Throws when the batch did not
 * move forward or left the run's bound, which would otherwise loop or skip rows silently.
 * Keys are only checked for change, not order: text keys sort by the database's collation.
 */
export function advanceCursor(from: CursorPosition | null, batch: Pick<CursorBatch, 'last'>, upTo: string, kind: CursorKind): CursorPosition | null {
  const last = batch.last;
  if (!last) return from;
  if (compareCursor(last.cursor, upTo, kind) > 0) throw new Error(`A cursor batch ended at ${last.cursor}, past the run's bound ${upTo}`);
  if (from) {
    const order = compareCursor(last.cursor, from.cursor, kind);
    if (order < 0 || (order === 0 && JSON.stringify(last.key) === JSON.stringify(from.key))) {
      throw new Error(`A cursor batch made no progress past (${from.cursor}, ${JSON.stringify(from.key)})`);
    }
  }
  return last;
}
