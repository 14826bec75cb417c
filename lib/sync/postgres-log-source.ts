import type pg from 'pg';
import type { KeyTuple } from '../connectors/connector';
import { toKeyValue } from '../engine/key-text';
import {
  captureNames,
  describeSlot,
  emitHeartbeat,
  openChangeReader,
  ReplicationError,
  type CapturedChange,
  type ChangeReader,
} from '../connectors/postgres/replication';
import { connectSql } from '../connectors/postgres/replication/replication-client';
import type { ResolvedConnection } from '../schemas/connection-config';
import type { SyncPosition } from '../schemas/sync-settings';
import type { SourceChange } from './apply-changes';
import { CaptureLostError, type LogBatch, type LogSource } from './log-source';

interface Options {
  syncId: string;
  source: ResolvedConnection;
  schema: string;
  table: string;
  keyColumns: string[];
  /** Source columns the mapping reads: an unchanged TOAST value among them means the row is read again. */
  readColumns: string[];
  startLsn: string;
  maxBatchChanges: number;
}

/**
 * The sync's PostgreSQL slot as a LogSource: pgoutput transactions in commit order become
 * SourceChanges; the LSN to store is the batch's ackLsn (null inside a large transaction, which a
 * restart replays whole); only what the sync stored is acknowledged. An update whose values
 * were partly not sent (unchanged TOAST) is read again from the source instead of writing a
 * placeholder; an update that changed the key deletes the old key.
 */
export async function openPostgresLogSource(options: Options): Promise<LogSource> {
  const { slotName, publicationName } = captureNames(options.syncId);
  let reader: ChangeReader;
  try {
    reader = await openChangeReader({ source: options.source, slotName, publicationName, startLsn: options.startLsn, maxBatchChanges: options.maxBatchChanges, busyWaitMs: 20_000 });
  } catch (error) {
    throw lostOr(error);
  }
  let sql: pg.Client | null = null;
  const sqlClient = async () => (sql ??= await connectSql(options.source));
  const readSet = new Set(options.readColumns);

  const keyOf = (row: Record<string, unknown> | null): KeyTuple | null => (row ? options.keyColumns.map((c) => toKeyValue(row[c])) : null);
  const sameKey = (a: KeyTuple, b: KeyTuple) => a.every((v, i) => String(v) === String(b[i]));

  const toChanges = (change: CapturedChange, commitTime: number, out: SourceChange[]) => {
    if (change.schema !== options.schema || change.table !== options.table) return;
    switch (change.op) {
      case 'truncate':
        out.push({ op: 'truncate', commitTime });
        return;
      case 'delete': {
        const key = keyOf(change.key);
        if (key) out.push({ op: 'delete', key, before: change.old, commitTime });
        return;
      }
      case 'insert':
      case 'update': {
        const row = change.new!;
        if (change.op === 'update' && change.key) {
          const oldKey = keyOf(change.key)!;
          const newKey = keyOf(row)!;
          if (!sameKey(oldKey, newKey)) out.push({ op: 'delete', key: oldKey, before: change.old, commitTime });
        }
        const reread = change.unchangedToast.some((c) => readSet.has(c));
        out.push({ op: 'upsert', row, commitTime, reread });
      }
    }
  };

  return {
    async next(): Promise<LogBatch | null> {
      let batch;
      try {
        batch = await reader.nextBatch(1000);
      } catch (error) {
        throw lostOr(error);
      }
      if (batch.items.length === 0) return null;
      const changes: SourceChange[] = [];
      for (const item of batch.items) {
        if (item.kind !== 'transaction') continue;
        const commitTime = item.commitTime.getTime();
        for (const change of item.changes) toChanges(change, commitTime, changes);
      }
      const position: SyncPosition | null = batch.ackLsn ? { kind: 'postgres', lsn: batch.ackLsn } : null;
      return { changes, position, schemaChanges: [] };
    },
    acknowledge(position) {
      if (position.kind === 'postgres') reader.acknowledge(position.lsn);
    },
    async heartbeat() {
      await emitHeartbeat(await sqlClient());
    },
    async health() {
      const slot = await describeSlot(await sqlClient(), slotName);
      return { state: slot.state, retainedBytes: slot.retainedWalBytes, message: slot.message, checkedAt: new Date().toISOString() };
    },
    async close() {
      await reader.close().catch(() => reader.destroy());
      await (sql as pg.Client | null)?.end().catch(() => undefined);
    },
  };
}

function lostOr(error: unknown): unknown {
  if (error instanceof ReplicationError && (error.code === 'slot_lost' || error.code === 'slot_missing')) return new CaptureLostError(error.message);
  return error;
}
