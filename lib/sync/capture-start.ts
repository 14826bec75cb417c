import mysql from 'mysql2/promise';
import type { Sync } from '../db/generated/client';
import { cachedConnector } from '../engine/connector-cache';
import { AppError } from '../errors';
import { binlogConnectionOptions, currentPosition } from '../connectors/mysql/binlog/binlog-reader';
import { captureNames, createSlot, dropPublication, dropSlot, ensurePublication } from '../connectors/postgres/replication';
import { connectSql } from '../connectors/postgres/replication/replication-client';
import type { SyncPosition } from '../schemas/sync-settings';
import { resolveConnection } from '../saved-connections/resolve-connection';
import { checkCapturePrerequisites, formatCaptureFixes, hasBlockingProblem } from './check-capture-prerequisites';
import { planCursorRun } from './cursor/plan-cursor-run';

interface SyncSource {
  sourceConnectionId: string;
  sourceTable: string;
  sourceKey: string[];
}

/**
 * Where the sync's changes begin, taken BEFORE the initial load reads anything, so every
 * change the load might miss is read afterwards (some twice, harmlessly: writes are
 * idempotent):
 * - PostgreSQL: the publication, then a fresh slot (an old one of this sync is dropped: a
 *   new start is a new snapshot); the slot's consistent point is the position, and the slot
 *   keeps every change after it until the sync acknowledges it.
 * - MariaDB/MySQL: the binlog's current position (GTID where there is one).
 * - Cursor: the bound a run planned now would read up to (the source clock minus the lag),
 *   after the first key: rows at or below it were committed before the load reads them.
 * Missing prerequisites (privileges, wal_level, binlog format) are refused with the
 * statements that fix them.
 */
export async function captureStartPosition(sync: Pick<Sync, 'id' | 'mode' | 'cursorColumn' | 'lagMs'>, source: SyncSource): Promise<SyncPosition> {
  const resolved = await resolveConnection(source.sourceConnectionId);
  if (sync.mode === 'cursor') {
    const connector = await cachedConnector(source.sourceConnectionId);
    if (!connector.cursorReader) throw new AppError('validation_failed', `A ${connector.kind} source cannot be read by cursor`, [{ path: 'body.settings.mode', message: 'use log mode' }]);
    const reader = connector.cursorReader({ table: source.sourceTable, cursorColumn: sync.cursorColumn!, keyColumns: source.sourceKey, columns: source.sourceKey });
    const plan = planCursorRun(null, await reader.probe(), { lagMs: sync.lagMs });
    if (plan.upTo === null) return { kind: 'cursor', at: null };
    const bounds = await connector.keyBounds(source.sourceTable, source.sourceKey);
    return { kind: 'cursor', at: bounds ? { cursor: plan.upTo, key: bounds.first } : null };
  }

  const { publicationName, slotName } = captureNames(sync.id);
  const tables = [{ table: source.sourceTable, ...(resolved.kind === 'postgres' ? { schema: resolved.schema ?? 'public' } : {}) }];
  const problems = await checkCapturePrerequisites(resolved, tables, { publicationName });
  if (hasBlockingProblem(problems)) {
    throw new AppError('conflict', `The source is not ready for change capture. ${formatCaptureFixes(problems)}`, problems.filter((p) => p.severity === 'error').map((p) => ({ path: `source.${p.code}`, message: p.message })));
  }
  if (resolved.kind === 'postgres') {
    const sql = await connectSql(resolved);
    try {
      await dropSlot(sql, slotName, { terminateReader: true });
      await ensurePublication(sql, publicationName, [{ schema: resolved.schema ?? 'public', table: source.sourceTable }]);
    } finally {
      await sql.end().catch(() => undefined);
    }
    const slot = await createSlot(resolved, slotName);
    await slot.release();
    return { kind: 'postgres', lsn: slot.consistentLsn };
  }
  const control = await mysql.createConnection(await binlogConnectionOptions(resolved));
  try {
    return { kind: 'binlog', checkpoint: await currentPosition(control) };
  } finally {
    await control.end().catch(() => undefined);
  }
}

/** Drops what a PostgreSQL log sync created on the source (a forgotten slot keeps WAL forever). */
export async function releaseCapture(syncId: string, sourceConnectionId: string): Promise<void> {
  const resolved = await resolveConnection(sourceConnectionId);
  if (resolved.kind !== 'postgres') return;
  const { publicationName, slotName } = captureNames(syncId);
  const sql = await connectSql(resolved);
  try {
    await dropSlot(sql, slotName, { terminateReader: true });
    await dropPublication(sql, publicationName);
  } finally {
    await sql.end().catch(() => undefined);
  }
}
