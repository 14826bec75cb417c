import type { CapturedChange, CapturedItem, CapturedTransaction } from './captured-change';
import type { PgoutputMessage, Relation, Row, Tuple } from './pgoutput-decoder';

/** The prefix of the logical messages emitHeartbeat() writes. */
export const HEARTBEAT_PREFIX = 'ferry_heartbeat';

export interface PartBounds {
  maxChanges: number;
  maxBytes: number;
}

/**
 * Turns the decoded message sequence (BEGIN, changes, COMMIT, and non-transactional
 * messages in between) into items: one transaction at its COMMIT, or parts of a large one
 * as they fill up, so memory stays bounded by the part size whatever the transaction size.
 */
export class TransactionAssembler {
  private open: CapturedTransaction | null = null;
  private openBytes = 0;

  constructor(
    private readonly bounds: PartBounds,
    private readonly emit: (item: CapturedItem, bytes: number) => void,
  ) {}

  /** `bytes` is the message's size on the wire, counted towards the part bounds. */
  push(message: PgoutputMessage, bytes: number): void {
    switch (message.tag) {
      case 'begin':
        if (this.open) throw new Error(`pgoutput: BEGIN of ${message.xid} inside transaction ${this.open.xid}`);
        this.open = { kind: 'transaction', xid: message.xid, commitLsn: message.finalLsn, commitTime: message.commitTime, part: 0, final: false, changes: [], endLsn: null };
        this.openBytes = bytes;
        return;
      case 'commit': {
        const txn = this.requireOpen('COMMIT');
        txn.final = true;
        txn.endLsn = message.endLsn;
        this.open = null;
        this.emit(txn, this.openBytes + bytes);
        return;
      }
      case 'insert':
      case 'update':
      case 'delete':
      case 'truncate': {
        const txn = this.requireOpen(message.tag.toUpperCase());
        for (const change of toChanges(message)) txn.changes.push(change);
        this.openBytes += bytes;
        if (txn.changes.length >= this.bounds.maxChanges || this.openBytes >= this.bounds.maxBytes) this.splitPart(txn);
        return;
      }
      case 'message':
        // A transactional message is part of its transaction (which is delivered, empty or
        // not); a non-transactional one arrives between transactions, in WAL order.
        if (!message.transactional && message.prefix === HEARTBEAT_PREFIX) {
          this.emit({ kind: 'heartbeat', lsn: message.lsn, content: message.content.toString('utf8') }, bytes);
        }
        return;
      case 'relation':
      case 'type':
      case 'origin':
        return;
    }
  }

  /** Bytes held in the transaction being received. */
  get pendingBytes(): number {
    return this.open ? this.openBytes : 0;
  }

  private splitPart(txn: CapturedTransaction): void {
    this.emit({ ...txn, changes: txn.changes }, this.openBytes);
    this.open = { ...txn, part: txn.part + 1, changes: [] };
    this.openBytes = 0;
  }

  private requireOpen(what: string): CapturedTransaction {
    if (!this.open) throw new Error(`pgoutput: ${what} outside a transaction`);
    return this.open;
  }
}

function pick(row: Row, columns: string[]): Row {
  const out: Row = {};
  for (const c of columns) out[c] = row[c];
  return out;
}

/** Key columns of a 'K' tuple; the server sends the other columns as NULL. */
const keyOf = (relation: Relation, tuple: Tuple): Row => pick(tuple.row, relation.keyColumns);

function toChanges(message: Extract<PgoutputMessage, { tag: 'insert' | 'update' | 'delete' | 'truncate' }>): CapturedChange[] {
  if (message.tag === 'truncate') {
    return message.relations.map((relation) => ({
      op: 'truncate',
      schema: relation.schema,
      table: relation.table,
      relation,
      key: null,
      old: null,
      new: null,
      unchangedToast: [],
      truncate: { cascade: message.cascade, restartIdentity: message.restartIdentity },
    }));
  }
  const { relation } = message;
  const { schema, table } = relation;
  switch (message.tag) {
    case 'insert':
      return [{ op: 'insert', schema, table, relation, key: keyOf(relation, message.new), old: null, new: message.new.row, unchangedToast: [] }];
    case 'update': {
      // Without an old key the key did not change: it is in the new row.
      const key = message.oldKey ? keyOf(relation, message.oldKey) : message.old ? message.old.row : keyOf(relation, message.new);
      return [{ op: 'update', schema, table, relation, key, old: message.old?.row ?? null, new: message.new.row, unchangedToast: message.new.unchangedToast }];
    }
    case 'delete': {
      const key = message.oldKey ? keyOf(relation, message.oldKey) : (message.old?.row ?? null);
      return [{ op: 'delete', schema, table, relation, key, old: message.old?.row ?? null, new: null, unchangedToast: [] }];
    }
  }
}
