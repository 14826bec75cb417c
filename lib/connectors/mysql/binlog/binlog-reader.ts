/**
 * Change capture from the MariaDB / MySQL binlog (ROW format) for a set of tables.
 *
 * It reads; it never applies. It hands over whole transactions in commit order, in batches,
 * each batch with the checkpoint to store once the target has committed it:
 *
 *   const reader = await openBinlogReader({
 *     connection: await binlogConnectionOptions(resolvedSource), // or mysql2 options
 *     tables: [{ database: 'crm', table: 'contacts' }],
 *     from: storedCheckpoint ?? 'now',       // a BinlogCheckpoint, or 'now'
 *     readerId: sync.id,                     // → a stable, unique replica server id
 *   });
 *   try {
 *     for await (const batch of reader.batches(signal)) {
 *       for (const tx of batch.transactions)  // commit order; tx.changes in statement order
 *         for (const change of tx.changes) … // insert/update/delete with rows keyed by column
 *                                            // name; truncate; schema_change → re-describe
 *       await target.commit();
 *       await saveCheckpoint(batch.checkpoint);   // only now: at-least-once, never lost
 *       gaugeDelay(batch.lastCommitTime);         // epoch seconds of the newest commit read
 *     }
 *   } finally { await reader.close(); }
 *
 * Guarantees. Restarting from a stored checkpoint re-delivers every transaction after it and
 * none before it (MariaDB: by GTID, resumed server-side through @slave_connect_state; else by
 * file and position). A batch checkpoint only moves past complete transactions; a
 * transaction larger than `maxTransactionChanges` arrives in `partial` fragments whose
 * checkpoint stays before it, so a crash mid-way replays it whole (writes are idempotent
 * upserts / deletes by key). Transactions that touch no captured table are not handed over
 * but still move the checkpoint (an empty batch at most every `idleCheckpointMs`), so a quiet
 * table does not pin an old binlog position.
 *
 * Rows. Values match what lib/connectors/mysql reads with a query (same mysql2 options):
 * BIGINT and DECIMAL as exact strings, dates as text (TIMESTAMP in UTC), JSON parsed (as
 * mysql2 returns MariaDB's JSON columns), BLOBs as Buffers. Column names come from the binlog
 * when the server runs with binlog_row_metadata=FULL; otherwise from information_schema,
 * and a table map that no longer matches the table stops the reader ('schema_mismatch').
 *
 * DDL. ALTER / DROP / RENAME / CREATE OR REPLACE of a captured table arrives as a
 * `schema_change` change (its own transaction, ordered with the rows), TRUNCATE as a
 * `truncate` change; rows after an ALTER decode with the new columns.
 *
 * One reader per sync, held by a lease: the replica server id comes from `readerId`
 * (readerServerId), and two readers with one id cut each other off. Memory is bounded: past `maxBufferedChanges` undelivered changes the binlog socket is
 * paused until the caller takes a batch.
 *
 * Errors are BinlogReaderError with a stable code (binlog-error.ts): thrown by
 * openBinlogReader for server settings and lost positions, and by batches() for anything the
 * stream meets later. `retryable` errors (connection lost) resume from the stored checkpoint.
 *
 * Decoding is @vlasky/zongji 0.9 (on mysql2; events mapped in decode-zongji-event.ts); this
 * file owns positions, transactions, filtering, backpressure and errors. See tests/integration/mariadb-change-capture.test.ts.
 */
import type { ConnectionOptions } from 'mysql2';
import mysql from 'mysql2/promise';
import ZongJi, { type AnyBinlogEvent } from '@vlasky/zongji';
import { type BinlogTransaction, TransactionAssembler } from './assemble-transactions';
import { BinlogReaderError, classifyBinlogError } from './binlog-error';
import { type BinlogCheckpoint, binlogCheckpointSchema } from './checkpoint';
import type { TableRef } from './classify-query';
import { type JsonColumns, loadJsonColumns, parseJsonValues, tableKey } from './json-columns';
import { type ServerSettings, checkServer, valueOptions } from './binlog-connection';
import { ZongjiEventDecoder } from './decode-zongji-event';
import { currentPosition, describePosition } from './position';
import { readerServerId } from './server-id';

export type { BinlogChange, BinlogRow, BinlogTransaction } from './assemble-transactions';
export type { BinlogCheckpoint } from './checkpoint';
export type { TableRef } from './classify-query';
export { BinlogReaderError } from './binlog-error';
export { binlogConnectionOptions } from './binlog-connection';
export { currentPosition, describePosition, snapshotPosition } from './position';
export { readerServerId } from './server-id';

export interface BinlogReaderOptions {
  /** mysql2 options for the source (see binlogConnectionOptions). Value options are overridden. */
  connection: ConnectionOptions;
  tables: TableRef[];
  from: 'now' | BinlogCheckpoint;
  /** Stable id of the consumer (the sync id): its replica server id derives from it. */
  readerId: string;
  /** Overrides the derived server id (e.g. a range a DBA reserved). */
  serverId?: number;
  /** A batch closes at this many changes (whole transactions; the first is always taken). */
  maxBatchChanges?: number;
  /** How long a batch waits for more transactions once the first is there. */
  maxBatchWaitMs?: number;
  /** Undelivered changes above which the binlog socket is paused. */
  maxBufferedChanges?: number;
  /** A transaction larger than this is handed over in fragments. */
  maxTransactionChanges?: number;
  /** While captured tables are quiet, a batch with no transactions but a newer checkpoint comes this often. */
  idleCheckpointMs?: number;
}

export interface BinlogBatch {
  /** Transactions with captured changes, in commit order. The last may be a `partial` fragment. */
  transactions: BinlogTransaction[];
  /** Store after the target committed this batch. */
  checkpoint: BinlogCheckpoint;
  /** Commit time (epoch seconds) of the newest complete transaction read, captured or not; null if none. */
  lastCommitTime: number | null;
  changeCount: number;
}

export interface BinlogReader {
  readonly serverId: number;
  /** Where this reader started (resolved from 'now' at open). */
  readonly startedAt: BinlogCheckpoint;
  /** The checkpoint of the last batch handed over. */
  readonly checkpoint: BinlogCheckpoint;
  /** Whether the binlog carries column names (binlog_row_metadata=FULL). */
  readonly selfDescribing: boolean;
  batches(signal?: AbortSignal): AsyncGenerator<BinlogBatch>;
  close(): Promise<void>;
}

/** mysql2 options for a saved source connection (TLS per its SSL mode, as the connector's pool). */
export async function openBinlogReader(options: BinlogReaderOptions): Promise<BinlogReader> {
  if (options.tables.length === 0) throw new Error('A binlog reader needs at least one table');
  const connection = valueOptions(options.connection);
  const control = await mysql.createConnection(connection).catch((err: unknown) => {
    throw classifyBinlogError(err);
  });
  try {
    const settings = await checkServer(control);
    let start: BinlogCheckpoint;
    if (options.from === 'now') {
      start = await currentPosition(control);
    } else {
      start = binlogCheckpointSchema.parse(options.from);
      const health = await describePosition(control, start);
      if (health.state === 'lost') throw new BinlogReaderError('position_lost', health.message);
      if (settings.mariaDb && !start.gtid) {
        // Track GTIDs from a file position too, so later checkpoints carry them.
        const [[row]] = await control.query<mysql.RowDataPacket[]>('SELECT BINLOG_GTID_POS(?, ?) AS gtid', [start.file, start.position]);
        start = { ...start, gtid: row.gtid ? String(row.gtid) : start.gtid };
      }
    }
    const jsonColumns = settings.mariaDb ? await loadJsonColumns(control, options.tables) : null;
    const reader = new ZongjiBinlogReader(options, connection, start, settings, jsonColumns);
    await reader.start(options.from !== 'now' && options.from.gtid ? options.from : start);
    return reader;
  } finally {
    await control.end().catch(() => undefined);
  }
}

class ZongjiBinlogReader implements BinlogReader {
  readonly serverId: number;
  readonly startedAt: BinlogCheckpoint;
  readonly selfDescribing: boolean;
  checkpoint: BinlogCheckpoint;

  private readonly zongji: ZongJi;
  private readonly assembler: TransactionAssembler;
  private readonly queue: BinlogTransaction[] = [];
  private queuedChanges = 0;
  private paused = false;
  private failure: BinlogReaderError | null = null;
  private closed = false;
  private wake: (() => void) | null = null;
  private lastCommitTime: number | null = null;
  private readonly decoder = new ZongjiEventDecoder();

  private readonly maxBatchChanges: number;
  private readonly maxBatchWaitMs: number;
  private readonly maxBufferedChanges: number;
  private readonly idleCheckpointMs: number;

  constructor(
    private readonly options: BinlogReaderOptions,
    private readonly connection: ConnectionOptions,
    start: BinlogCheckpoint,
    settings: ServerSettings,
    private readonly jsonColumns: JsonColumns | null,
  ) {
    this.serverId = options.serverId ?? readerServerId(options.readerId);
    this.startedAt = start;
    this.checkpoint = start;
    this.selfDescribing = settings.metadataFull;
    this.maxBatchChanges = options.maxBatchChanges ?? 5_000;
    this.maxBatchWaitMs = options.maxBatchWaitMs ?? 50;
    this.maxBufferedChanges = options.maxBufferedChanges ?? 20_000;
    this.idleCheckpointMs = options.idleCheckpointMs ?? 1_000;
    this.assembler = new TransactionAssembler(options.tables, start, (t) => this.enqueue(t), options.maxTransactionChanges ?? 10_000);
    this.zongji = new ZongJi(this.connection);
  }

  start(from: BinlogCheckpoint): Promise<void> {
    const includeSchema: Record<string, string[]> = {};
    for (const t of this.options.tables) (includeSchema[t.database] ??= []).push(t.table);
    return new Promise((resolve, reject) => {
      const onStartError = (err: Error) => {
        this.zongji.stop();
        reject(classifyBinlogError(err));
      };
      this.zongji.once('error', onStartError);
      this.zongji.once('ready', () => {
        this.zongji.off('error', onStartError);
        this.zongji.on('error', (err) => this.fail(classifyBinlogError(err)));
        resolve();
      });
      this.zongji.on('binlog', (event) => {
        try {
          this.onEvent(event);
        } catch (err) {
          this.fail(classifyBinlogError(err));
        }
      });
      this.zongji.start({
        serverId: this.serverId,
        ...(from.gtid ? { gtidSet: from.gtid } : { filename: from.file, position: from.position }),
        includeSchema,
        // Events the assembler never needs: not delivered, so not decoded.
        excludeEvents: ['format', 'intvar', 'heartbeat', 'binlogcheckpoint', 'annotaterows', 'rowsquery', 'previousgtids', 'mariadbgtidlist', 'startencryption'],
      });
    });
  }

  private onEvent(event: AnyBinlogEvent): void {
    if (this.closed || this.failure) return;
    const decoded = this.decoder.decode(event);
    if (decoded) this.assembler.push(decoded);
    // zongji resumes the socket itself after fetching table metadata: pause again while full.
    if (this.queuedChanges > this.maxBufferedChanges && this.zongji.connection) {
      this.zongji.connection.pause();
      this.paused = true;
    }
  }

  private enqueue(t: BinlogTransaction): void {
    const tail = this.queue[this.queue.length - 1];
    if (t.changes.length === 0 && !t.partial && tail && tail.changes.length === 0 && !tail.partial) {
      this.queue[this.queue.length - 1] = t; // consecutive empty markers: only the newest checkpoint matters
    } else {
      this.queue.push(t);
      this.queuedChanges += t.changes.length;
    }
    this.notify();
  }

  private fail(err: BinlogReaderError): void {
    if (this.failure || this.closed) return;
    this.failure = err;
    this.zongji.stop();
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private waitFor(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        if (this.wake === done) this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  private hasChanges(): boolean {
    return this.queuedChanges > 0 || this.queue.some((t) => t.partial);
  }

  async *batches(signal?: AbortSignal): AsyncGenerator<BinlogBatch> {
    let lastYield = Date.now();
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.closed || signal?.aborted) return;
      if (!this.hasChanges()) {
        const idleFor = Date.now() - lastYield;
        const markerReady = this.queue.length > 0 && idleFor >= this.idleCheckpointMs;
        if (!markerReady) {
          await this.waitFor(this.queue.length > 0 ? this.idleCheckpointMs - idleFor : 60_000, signal);
          continue;
        }
      } else if (this.queuedChanges < this.maxBatchChanges && this.maxBatchWaitMs > 0) {
        await this.waitFor(this.maxBatchWaitMs, signal); // let a burst fill the batch
        if (this.failure) throw this.failure;
      }
      const batch = this.take();
      if (this.jsonColumns) await this.parseJson(batch);
      lastYield = Date.now();
      yield batch;
    }
  }

  private take(): BinlogBatch {
    const transactions: BinlogTransaction[] = [];
    let changeCount = 0;
    let checkpoint = this.checkpoint;
    while (this.queue.length > 0 && (transactions.length === 0 || changeCount + this.queue[0].changes.length <= this.maxBatchChanges)) {
      const t = this.queue.shift() as BinlogTransaction;
      this.queuedChanges -= t.changes.length;
      changeCount += t.changes.length;
      if (!t.partial) {
        checkpoint = t.checkpoint;
        if (t.commitTime) this.lastCommitTime = t.commitTime;
      }
      if (t.changes.length > 0) transactions.push(t);
      if (t.partial) break; // the rest of it comes next: never mix a fragment with what follows
    }
    this.checkpoint = checkpoint;
    if (this.paused && this.queuedChanges <= this.maxBufferedChanges / 2 && this.zongji.connection) {
      this.paused = false;
      this.zongji.connection.resume();
    }
    return { transactions, checkpoint, lastCommitTime: this.lastCommitTime, changeCount };
  }

  /** MariaDB JSON text → values, as a SELECT gives them; re-looked up after a schema change. */
  private async parseJson(batch: BinlogBatch): Promise<void> {
    for (const t of batch.transactions) {
      for (const c of t.changes) {
        if (c.op === 'schema_change' && this.jsonColumns) {
          const control = await mysql.createConnection(this.connection);
          try {
            const fresh = await loadJsonColumns(control, [c.table]);
            for (const [k, v] of fresh) this.jsonColumns.set(k, v);
          } catch (err) {
            throw classifyBinlogError(err);
          } finally {
            await control.end().catch(() => undefined);
          }
          continue;
        }
        const columns = this.jsonColumns?.get(tableKey(c.table));
        if (!columns || columns.size === 0) continue;
        if (c.op === 'insert' || c.op === 'update') parseJsonValues(c.after, columns);
        if (c.op === 'delete' || c.op === 'update') parseJsonValues(c.before, columns);
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.notify();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 3_000);
      this.zongji.once('stopped', () => {
        clearTimeout(timer);
        resolve();
      });
      this.zongji.stop();
    });
  }
}
