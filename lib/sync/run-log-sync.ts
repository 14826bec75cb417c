import type { UnitOutcome, UnitRun } from '../jobs/units/run-unit';
import { recordEvent } from '../jobs/record-event';
import { failJob } from '../jobs/fail-job';
import { prisma } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { sourceReadColumns } from '../engine/transform-list-rows';
import type { SyncCheckpoint, SyncPosition } from '../schemas/sync-settings';
import { resolveConnection } from '../saved-connections/resolve-connection';
import type { AppliedChanges } from './apply-changes';
import { openBinlogLogSource } from './binlog-log-source';
import { CaptureLostError, type LogSource } from './log-source';
import { openPostgresLogSource } from './postgres-log-source';
import { retryFailedKeys } from './retry-failed-keys';
import { saveSyncBatch } from './save-sync-batch';
import type { SyncContext } from './sync-context';
import { verifySyncWhenDue } from './verify-sync';

const HEARTBEAT_EVERY_MS = 10_000;
const HEALTH_EVERY_MS = 30_000;
const RETRY_EVERY_MS = 60_000;
/** Without a batch to store, the lease is renewed and stops are checked this often. */
const POLL_EVERY_MS = 1_000;

type Streaming = Extract<SyncCheckpoint, { phase: 'streaming' }>;

/**
 * A log sync's reader: one per sync across all workers (it holds the sync unit's lease for
 * as long as it reads). It applies each batch through the engine's write path, stores the
 * position with the batch's counters and error rows, and only then acknowledges it to the
 * source, so a crash at any point replays from the last stored position: nothing is lost,
 * and replayed changes are idempotent writes. It checks for pause, cancel and shutdown after
 * every batch (and every second while the log is quiet), emits heartbeats so an idle slot's
 * position still moves, records the log's health for the sync page, and retries failed keys
 * every minute. A lost slot or binlog position fails the sync with the way out (a new snapshot).
 */
export async function runLogSync(run: UnitRun<SyncCheckpoint>, ctx: SyncContext, start: Streaming): Promise<UnitOutcome> {
  const ids = { syncId: ctx.sync.id, jobId: ctx.jobId, chunkId: run.unitId, leaseId: run.lease.leaseId, mappingVersionId: ctx.mappingVersionId };
  let position: SyncPosition = start.from;
  let source: LogSource;
  try {
    source = await openLogSource(ctx, position);
  } catch (error) {
    if (error instanceof CaptureLostError) return lost(ctx, error);
    throw error;
  }
  const save = (applied: AppliedChanges, commitTimes: number[], applyMs: number, caughtUp: boolean) =>
    saveSyncBatch(ids, {
      checkpoint: { phase: 'streaming', from: position },
      read: applied.read,
      upserts: applied.upserts,
      deletes: applied.deletes,
      errors: applied.errors,
      landed: applied.landed,
      retry: applied.retry,
      commitTimes,
      applyMs,
      pendingSince: caughtUp ? null : (commitTimes.length ? Math.max(...commitTimes) : null),
    });
  let lastHeartbeat = 0;
  let lastHealth = 0;
  let lastRetry = 0;
  let lastPoll = Date.now();
  try {
    for (;;) {
      const now = Date.now();
      if (now - lastHealth >= HEALTH_EVERY_MS) {
        lastHealth = now;
        const health = await source.health();
        await prisma().sync.update({ where: { id: ctx.sync.id }, data: { captureHealth: health as unknown as Prisma.InputJsonValue } });
        if (health.state === 'lost' || health.state === 'missing') return lost(ctx, new CaptureLostError(health.message));
        await verifySyncWhenDue(ctx);
      }
      if (now - lastHeartbeat >= HEARTBEAT_EVERY_MS) {
        lastHeartbeat = now;
        await source.heartbeat();
      }
      if (now - lastRetry >= RETRY_EVERY_MS) {
        lastRetry = now;
        const started = performance.now();
        const retried = await retryFailedKeys(ctx);
        if (retried) {
          const stop = run.stopFor(await save(retried, [], performance.now() - started, true));
          if (stop) return { stopped: stop };
        }
      }
      const batch = await source.next();
      if (batch) {
        const started = performance.now();
        const applied = await ctx.apply(batch.changes);
        if (batch.position) position = batch.position;
        const commitTimes = batch.changes.map((c) => c.commitTime);
        const status = await save(applied, commitTimes, performance.now() - started, batch.changes.length < ctx.options.batchRows);
        if (batch.position) source.acknowledge(batch.position);
        for (const ddl of batch.schemaChanges) {
          await recordEvent(ctx.jobId, 'schema_change', `The source table was changed (${ddl}); rows after it are read with the new columns. Check the mapping if columns it reads were renamed or dropped.`, undefined, 'warn');
        }
        lastPoll = Date.now();
        const stop = run.stopFor(status);
        if (stop) return { stopped: stop };
        continue;
      }
      if (Date.now() - lastPoll >= POLL_EVERY_MS) {
        lastPoll = Date.now();
        // Quiet: the target is caught up with everything the log has sent.
        await prisma().sync.update({ where: { id: ctx.sync.id }, data: { pendingSince: null } });
        const stop = await run.pollStop();
        if (stop) return { stopped: stop };
      }
    }
  } catch (error) {
    if (error instanceof CaptureLostError) return lost(ctx, error);
    throw error;
  } finally {
    await source.close();
  }
}

async function openLogSource(ctx: SyncContext, position: SyncPosition): Promise<LogSource> {
  const resolved = await resolveConnection((await prisma().mapping.findUniqueOrThrow({ where: { id: ctx.sync.mappingId }, select: { sourceConnectionId: true } })).sourceConnectionId);
  const { spec } = ctx;
  const maxBatchChanges = ctx.options.batchRows;
  if (position.kind === 'postgres') {
    return openPostgresLogSource({
      syncId: ctx.sync.id,
      source: resolved,
      schema: ctx.sourceTable.schema,
      table: ctx.sourceTable.name,
      keyColumns: spec.source.key,
      readColumns: sourceReadColumns(spec),
      startLsn: position.lsn,
      maxBatchChanges,
    });
  }
  if (position.kind === 'binlog') {
    return openBinlogLogSource({ syncId: ctx.sync.id, source: resolved, database: ctx.sourceTable.schema, table: ctx.sourceTable.name, keyColumns: spec.source.key, from: position.checkpoint, maxBatchChanges });
  }
  throw new Error('A log sync was stored with a cursor position');
}

async function lost(ctx: SyncContext, error: CaptureLostError): Promise<UnitOutcome> {
  const health = { state: 'lost', retainedBytes: null, message: error.message, checkedAt: new Date().toISOString() };
  await prisma().sync.update({ where: { id: ctx.sync.id }, data: { captureHealth: health } });
  await failJob(ctx.jobId, `The change log position is lost: ${error.message}`, 'Start the sync again: it takes a new snapshot (a full load) and streams from there');
  return { stopped: 'cancelled' };
}
