import { prisma } from '../db/client';
import { failJob } from '../jobs/fail-job';
import type { UnitOutcome, UnitRun } from '../jobs/units/run-unit';
import { recordEvent } from '../jobs/record-event';
import type { SyncCheckpoint } from '../schemas/sync-settings';
import { runCursorSync } from './run-cursor-sync';
import { runLogSync } from './run-log-sync';
import { saveSyncBatch } from './save-sync-batch';
import { loadSyncContext } from './sync-context';

/**
 * One delivery of a sync's unit, under its lease. While the initial load (a migration job
 * started with the sync) runs, the sync waits; when the load has finished, changes are
 * read from the position recorded before it began. A cursor sync then does one run; a log
 * sync keeps reading until it is paused, stopped or its worker shuts down.
 */
export async function runSync(run: UnitRun<SyncCheckpoint>): Promise<UnitOutcome> {
  const ctx = await loadSyncContext(run.jobId);
  if (!ctx) return { skipped: 'the sync or its job was deleted' };
  let checkpoint = run.cursor;
  if (!checkpoint) throw new Error('The sync job was created without its starting position');
  if (checkpoint.phase === 'initial_load') {
    const load = await prisma().job.findUnique({ where: { id: checkpoint.loadJobId }, select: { status: true, stopReason: true } });
    if (!load || load.status === 'failed' || load.status === 'cancelled') {
      await failJob(run.jobId, `The initial load ${load ? `was ${load.status}${load.stopReason ? ` (${load.stopReason})` : ''}` : 'was deleted'}`, 'Start the sync again for a new initial load');
      return { stopped: 'cancelled' };
    }
    if (load.status !== 'completed' && load.status !== 'completed_with_errors') return { idle: 'waiting for the initial load' };
    checkpoint = { phase: 'streaming', from: checkpoint.from };
    await saveSyncBatch(
      { syncId: ctx.sync.id, jobId: ctx.jobId, chunkId: run.unitId, leaseId: run.lease.leaseId, mappingVersionId: ctx.mappingVersionId },
      { checkpoint, read: 0, upserts: 0, deletes: 0, errors: [], landed: [], commitTimes: [], applyMs: 0, pendingSince: null },
    );
    await recordEvent(run.jobId, 'initial_load_done', `The initial load ${load.status.replace(/_/g, ' ')}; changes are now applied from the position taken before it began`);
  }
  return ctx.sync.mode === 'cursor' ? runCursorSync(run, ctx, checkpoint) : runLogSync(run, ctx, checkpoint);
}
