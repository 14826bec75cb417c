import { BinlogReaderError } from './binlog-error';
import { type BinlogCheckpoint, type GtidPosition, formatGtidPosition, parseGtidPosition } from './checkpoint';
import { type TableRef, classifyQuery, dmlMayTouch } from './classify-query';

/**
 * Turns the binlog's event stream into whole transactions of captured-table changes, with
 * the checkpoint that is safe to store after each. Pure (no I/O) so it is unit-tested on
 * hand-made events; binlog-reader.ts feeds it decoded events.
 *
 * A transaction is a MariaDB GTID event (or a BEGIN on MySQL without GTIDs) up to its
 * commit marker: an XID event, a COMMIT/ROLLBACK query, or — for standalone groups (DDL) —
 * the group's single query. The checkpoint only ever moves at those markers: MariaDB cannot
 * resume in the middle of a transaction.
 */

export type BinlogRow = Record<string, unknown>;

export type BinlogChange =
  | { op: 'insert'; table: TableRef; after: BinlogRow }
  | { op: 'update'; table: TableRef; before: BinlogRow; after: BinlogRow }
  | { op: 'delete'; table: TableRef; before: BinlogRow }
  | { op: 'truncate'; table: TableRef }
  /**
   * ALTER / DROP / RENAME / CREATE OR REPLACE of a captured table: re-describe the table
   * before applying later changes. `statement` is the DDL text (may hold default values;
   * do not log it).
   */
  | { op: 'schema_change'; table: TableRef; ddl: 'alter' | 'drop' | 'rename' | 'replace'; statement: string };

export interface BinlogTransaction {
  /** MariaDB 'domain-server-seq' of this transaction; null without GTIDs. */
  gtid: string | null;
  /** Commit time from the commit event's header, in epoch seconds (the binlog's resolution). */
  commitTime: number;
  changes: BinlogChange[];
  /**
   * Safe to store once this transaction (and all before it) is committed in the target.
   * For a fragment (`partial`), the checkpoint before the transaction: a restart re-delivers
   * the whole transaction, which idempotent writes absorb.
   */
  checkpoint: BinlogCheckpoint;
  /** A fragment of a transaction too large to hold at once; more of it follows. */
  partial: boolean;
}

export type DecodedEvent =
  | { type: 'rotate'; file: string; position: number }
  | { type: 'gtid'; domain: number; server: number; seq: string; standalone: boolean }
  | { type: 'begin_implicit' }
  | { type: 'rows'; op: 'insert' | 'delete'; table: TableRef; rows: BinlogRow[] }
  | { type: 'rows'; op: 'update'; table: TableRef; rows: { before: BinlogRow; after: BinlogRow }[] }
  | { type: 'query'; schema: string; statement: string; timestamp: number; nextPosition: number }
  | { type: 'xid'; timestamp: number; nextPosition: number }
  | { type: 'xa_prepare'; timestamp: number; nextPosition: number };

interface OpenTransaction {
  gtid: { domain: number; server: number; seq: bigint } | null;
  standalone: boolean;
  changes: BinlogChange[];
  fragments: number;
}

const key = (t: TableRef) => `${t.database}\u0000${t.table}`;

export class TransactionAssembler {
  private readonly captured: Set<string>;
  private readonly tables: TableRef[];
  private gtid: GtidPosition | null;
  private file: string;
  private position: number;
  private open: OpenTransaction | null = null;

  /**
   * @param maxTransactionChanges a transaction is handed over in fragments of this many
   *   changes once it grows past it, so one huge transaction cannot exhaust memory.
   */
  constructor(
    tables: TableRef[],
    start: BinlogCheckpoint,
    private readonly emit: (t: BinlogTransaction) => void,
    private readonly maxTransactionChanges = 10_000,
  ) {
    this.tables = tables;
    this.captured = new Set(tables.map(key));
    this.gtid = start.gtid === null ? null : parseGtidPosition(start.gtid);
    this.file = start.file;
    this.position = start.position;
  }

  /** After the last complete transaction seen (captured or not). */
  get checkpoint(): BinlogCheckpoint {
    return { gtid: this.gtid === null ? null : formatGtidPosition(this.gtid), file: this.file, position: this.position };
  }

  isCaptured(t: TableRef): boolean {
    return this.captured.has(key(t));
  }

  push(e: DecodedEvent): void {
    switch (e.type) {
      case 'rotate':
        // The artificial rotate at the start of a dump names the file being read with
        // position 4 even when the dump starts mid-file: only a new file moves the position.
        if (e.file !== this.file) {
          this.file = e.file;
          this.position = e.position;
        }
        return;
      case 'gtid':
        if (this.open) this.finish(null, 0); // a group without a marker we recognised: it ended
        this.open = {
          gtid: { domain: e.domain, server: e.server, seq: BigInt(e.seq) },
          standalone: e.standalone,
          changes: [],
          fragments: 0,
        };
        return;
      case 'begin_implicit':
        if (!this.open) this.open = { gtid: null, standalone: false, changes: [], fragments: 0 };
        return;
      case 'rows':
        if (!this.isCaptured(e.table)) return;
        if (!this.open) this.open = { gtid: null, standalone: false, changes: [], fragments: 0 };
        if (e.op === 'update') for (const r of e.rows) this.open.changes.push({ op: 'update', table: e.table, before: r.before, after: r.after });
        else if (e.op === 'insert') for (const r of e.rows) this.open.changes.push({ op: 'insert', table: e.table, after: r });
        else for (const r of e.rows) this.open.changes.push({ op: 'delete', table: e.table, before: r });
        if (this.open.changes.length >= this.maxTransactionChanges) this.flushFragment();
        return;
      case 'xid':
        this.finish(e.timestamp, e.nextPosition);
        return;
      case 'xa_prepare':
        if (this.open && this.open.changes.length > 0) {
          throw new BinlogReaderError(
            'unsupported_event',
            'An XA transaction touching a captured table was prepared; the reader does not follow XA PREPARE / XA COMMIT pairs.',
          );
        }
        this.open = null; // its effects arrive with the XA COMMIT group
        return;
      case 'query':
        this.query(e);
        return;
    }
  }

  private query(e: Extract<DecodedEvent, { type: 'query' }>): void {
    const meaning = classifyQuery(e.statement, e.schema);
    switch (meaning.kind) {
      case 'begin':
        if (!this.open) this.open = { gtid: null, standalone: false, changes: [], fragments: 0 };
        return;
      case 'commit':
      case 'rollback': // a ROLLBACK in the binlog keeps the non-transactional changes logged before it
        this.finish(e.timestamp, e.nextPosition);
        return;
      case 'dml': {
        const touched = dmlMayTouch(meaning.statement, e.schema, this.tables);
        if (touched) {
          throw new BinlogReaderError(
            'statement_logged_change',
            `A change to ${touched.database}.${touched.table} was logged as a statement, not as rows (a session with binlog_format=STATEMENT or MIXED); its rows cannot be captured. Set binlog_format=ROW for every session and take a new snapshot.`,
          );
        }
        break;
      }
      case 'ddl': {
        const hit = meaning.tables.filter((t) => this.isCaptured(t));
        if (hit.length > 0) {
          if (!this.open) this.open = { gtid: null, standalone: true, changes: [], fragments: 0 };
          for (const table of hit) {
            this.open.changes.push(
              meaning.ddl === 'truncate' ? { op: 'truncate', table } : { op: 'schema_change', table, ddl: meaning.ddl, statement: e.statement },
            );
          }
        }
        break;
      }
      case 'other':
        break;
    }
    // DDL and other statements outside BEGIN … COMMIT are groups of their own.
    if (!this.open || this.open.standalone) this.finish(e.timestamp, e.nextPosition, true);
  }

  private flushFragment(): void {
    const open = this.open;
    if (!open || open.changes.length === 0) return;
    this.emit({
      gtid: open.gtid ? `${open.gtid.domain}-${open.gtid.server}-${open.gtid.seq}` : null,
      commitTime: 0,
      changes: open.changes,
      checkpoint: this.checkpoint,
      partial: true,
    });
    open.changes = [];
    open.fragments++;
  }

  /** Ends the open transaction: moves the checkpoint past it and hands it over. */
  private finish(timestampMs: number | null, nextPosition: number, standaloneStatement = false): void {
    const open = this.open;
    this.open = null;
    if (!open && !standaloneStatement) return;
    // Without a starting GTID position (MySQL) no position is invented from one domain's GTID.
    if (open?.gtid && this.gtid) this.gtid.set(open.gtid.domain, { ...open.gtid });
    // MariaDB writes end_log_pos 0 on some events; a zero would corrupt the file position.
    if (nextPosition > 4) this.position = nextPosition;
    const commitTime = timestampMs === null ? 0 : Math.floor(timestampMs / 1000);
    // A transaction with no captured change still moves the checkpoint (an empty marker),
    // so a sync whose tables are quiet keeps a fresh position while the rest of the server writes.
    this.emit({
      gtid: open?.gtid ? `${open.gtid.domain}-${open.gtid.server}-${open.gtid.seq}` : null,
      commitTime,
      changes: open?.changes ?? [],
      checkpoint: this.checkpoint,
      partial: false,
    });
  }
}
