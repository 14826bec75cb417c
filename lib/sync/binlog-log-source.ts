import mysql from 'mysql2/promise';
import type { KeyTuple } from '../connectors/connector';
import { toKeyValue } from '../engine/key-text';
import {
  BinlogReaderError,
  binlogConnectionOptions,
  describePosition,
  openBinlogReader,
  type BinlogBatch,
  type BinlogCheckpoint,
  type BinlogReader,
} from '../connectors/mysql/binlog/binlog-reader';
import type { ResolvedConnection } from '../schemas/connection-config';
import type { SourceChange } from './apply-changes';
import { CaptureLostError, type LogBatch, type LogSource } from './log-source';

interface Options {
  syncId: string;
  source: ResolvedConnection;
  database: string;
  table: string;
  keyColumns: string[];
  from: BinlogCheckpoint;
  maxBatchChanges: number;
}

const QUIET = Symbol('quiet');

/**
 * The binlog as a LogSource. The binlog stamps commits in whole seconds; while the reader
 * keeps up, a change arrives within that second, so its commit time is taken as the moment
 * it was received, held within the stamped second (never before it, never after its end):
 * millisecond delays when live, and at most a second too small when catching up.
 */
export async function openBinlogLogSource(options: Options): Promise<LogSource> {
  const connection = await binlogConnectionOptions(options.source);
  let reader: BinlogReader;
  try {
    reader = await openBinlogReader({
      connection,
      tables: [{ database: options.database, table: options.table }],
      from: options.from,
      readerId: options.syncId,
      maxBatchChanges: options.maxBatchChanges,
      maxBatchWaitMs: 50,
      idleCheckpointMs: 5_000,
    });
  } catch (error) {
    throw lostOr(error);
  }
  const abort = new AbortController();
  const batches = reader.batches(abort.signal);
  let pending: Promise<IteratorResult<BinlogBatch>> | null = null;
  let lastCheckpoint = options.from;

  const keyOf = (row: Record<string, unknown>): KeyTuple => options.keyColumns.map((c) => toKeyValue(row[c]));
  const sameKey = (a: KeyTuple, b: KeyTuple) => a.every((v, i) => String(v) === String(b[i]));

  return {
    async next(): Promise<LogBatch | null> {
      pending ??= batches.next();
      let result: IteratorResult<BinlogBatch> | typeof QUIET;
      let timer: NodeJS.Timeout | undefined;
      try {
        result = await Promise.race([pending, new Promise<typeof QUIET>((resolve) => (timer = setTimeout(() => resolve(QUIET), 1000)))]);
      } catch (error) {
        pending = null;
        throw lostOr(error);
      } finally {
        clearTimeout(timer);
      }
      if (result === QUIET) return null;
      pending = null;
      if (result.done) throw new BinlogReaderError('connection_lost', 'The binlog stream ended');
      const batch = result.value;
      const receivedAt = Date.now();
      const changes: SourceChange[] = [];
      const schemaChanges: string[] = [];
      for (const tx of batch.transactions) {
        const second = tx.commitTime * 1000;
        const commitTime = Math.min(Math.max(receivedAt, second), second + 999);
        for (const change of tx.changes) {
          switch (change.op) {
            case 'insert':
              changes.push({ op: 'upsert', row: change.after, commitTime });
              break;
            case 'update': {
              const oldKey = keyOf(change.before);
              if (!sameKey(oldKey, keyOf(change.after))) changes.push({ op: 'delete', key: oldKey, before: change.before, commitTime });
              changes.push({ op: 'upsert', row: change.after, commitTime });
              break;
            }
            case 'delete':
              changes.push({ op: 'delete', key: keyOf(change.before), before: change.before, commitTime });
              break;
            case 'truncate':
              changes.push({ op: 'truncate', commitTime });
              break;
            case 'schema_change':
              schemaChanges.push(change.ddl);
              break;
          }
        }
      }
      const moved = batch.checkpoint.file !== lastCheckpoint.file || batch.checkpoint.position !== lastCheckpoint.position || batch.checkpoint.gtid !== lastCheckpoint.gtid;
      lastCheckpoint = batch.checkpoint;
      if (changes.length === 0 && schemaChanges.length === 0 && !moved) return null;
      return { changes, position: { kind: 'binlog', checkpoint: batch.checkpoint }, schemaChanges };
    },
    // The binlog keeps no per-reader position on the server: the stored checkpoint is all there is.
    acknowledge() {},
    async heartbeat() {},
    async health() {
      const conn = await mysql.createConnection(connection);
      try {
        const health = await describePosition(conn, lastCheckpoint);
        return {
          state: health.state === 'ok' ? ('healthy' as const) : ('lost' as const),
          retainedBytes: null,
          message: health.state === 'ok' ? `Reading the binlog at ${lastCheckpoint.file}:${lastCheckpoint.position}${lastCheckpoint.gtid ? ` (GTID ${lastCheckpoint.gtid})` : ''}` : health.message,
          checkedAt: new Date().toISOString(),
        };
      } finally {
        await conn.end().catch(() => undefined);
      }
    },
    async close() {
      abort.abort();
      await reader.close().catch(() => undefined);
    },
  };
}

function lostOr(error: unknown): unknown {
  if (error instanceof BinlogReaderError && error.code === 'position_lost') return new CaptureLostError(error.message);
  return error;
}
