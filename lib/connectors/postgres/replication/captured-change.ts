import type { Lsn } from './lsn';
import type { Relation, Row } from './pgoutput-decoder';

/** What the change reader hands to its caller (see index.ts for how to use them). */

export interface CapturedChange {
  op: 'insert' | 'update' | 'delete' | 'truncate';
  schema: string;
  table: string;
  /** The relation as last described by the server (its columns change after an ALTER TABLE). */
  relation: Relation;
  /**
   * The row's replica identity before the change (for an insert, of the new row): the primary
   * key under REPLICA IDENTITY DEFAULT, the index columns under USING INDEX, every column under
   * FULL. Pick the mapping's key columns from it. Null for truncate.
   */
  key: Row | null;
  /** The whole old row: only under REPLICA IDENTITY FULL (update and delete). */
  old: Row | null;
  /** Insert and update: the values sent. Columns in `unchangedToast` are absent, not null. */
  new: Row | null;
  /**
   * Update: columns whose large (TOASTed) value did not change and was not sent. Leave these
   * target columns alone (or re-read the row); never write a placeholder.
   */
  unchangedToast: string[];
  /** Truncate only. One change per truncated table. */
  truncate?: { cascade: boolean; restartIdentity: boolean };
}

/**
 * A committed source transaction, or a part of one: a transaction larger than the batch
 * bounds arrives in consecutive parts with the same commitLsn, the last with `final` set.
 * Apply parts in order; acknowledge only after a final part (its `endLsn`).
 */
export interface CapturedTransaction {
  kind: 'transaction';
  xid: number;
  /** LSN of the commit record: orders transactions. */
  commitLsn: Lsn;
  /** The source's commit time (millisecond precision): the start of the sync delay D. */
  commitTime: Date;
  part: number;
  final: boolean;
  changes: CapturedChange[];
  /** The end of the commit record, set on the final part: the position to acknowledge. */
  endLsn: Lsn | null;
}

/**
 * A heartbeat emitted with emitHeartbeat(): nothing to apply; acknowledge its LSN once every
 * item before it is committed, so an idle slot's position moves and WAL does not pile up.
 */
export interface CapturedHeartbeat {
  kind: 'heartbeat';
  lsn: Lsn;
  content: string;
}

export type CapturedItem = CapturedTransaction | CapturedHeartbeat;

export interface ChangeBatch {
  /** In commit order. */
  items: CapturedItem[];
  /**
   * Acknowledge this after the target has committed every item of this batch (and of all
   * batches before it): the end of the last complete transaction or heartbeat in the batch.
   * Null when the batch completes nothing (empty, or one part of a larger transaction).
   */
  ackLsn: Lsn | null;
  /** Row changes in the batch. */
  changes: number;
  /** Bytes of pgoutput messages in the batch (a measure of its memory). */
  bytes: number;
}

/** The LSN to acknowledge after applying an item, or null for a part that is not the last. */
export function ackLsnOf(item: CapturedItem): Lsn | null {
  return item.kind === 'heartbeat' ? item.lsn : item.final ? item.endLsn : null;
}

/** The values of `columns` from a change's key (they must be there: the mapping's key is in the replica identity). */
export function keyTuple(change: CapturedChange, columns: string[]): unknown[] | null {
  const key = change.key;
  if (!key) return null;
  return columns.map((c) => {
    if (!(c in key)) throw new Error(`Column "${c}" is not in the replica identity of ${change.schema}.${change.table}`);
    return key[c];
  });
}
