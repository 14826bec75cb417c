import { prisma } from '../db/client';
import { Prisma } from '../db/generated/client';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import { assertMappingNotArchived } from '../saved-mappings/mapping-archive-guard';
import { jobOptionsSchema } from '../schemas/job-request';
import type { SyncCheckpoint } from '../schemas/sync-settings';
import { cancelJob, pauseJob, resumeJob } from '../jobs/control-job';
import { isFinal, type JobStatus } from '../jobs/job-state';
import { syncKind } from '../jobs/kinds/sync';
import { recordEvent } from '../jobs/record-event';
import { startMigration } from '../jobs/start-migration';
import { enqueueUnits } from '../jobs/units/enqueue-units';
import { captureStartPosition } from './capture-start';
import { cursorIndexWarning } from './cursor-index-warning';
import { cachedConnector } from '../engine/connector-cache';
import { latestSpec, reachable } from './save-sync';
import { scheduleSync } from './schedule-sync';

/**
 * Starts a sync with its mapping's latest version: takes the position changes are read
 * from (capture-start.ts: before anything is loaded), starts the initial load as a
 * migration job unless the sync starts "from now", creates the sync's job with its one
 * unit holding that checkpoint, and schedules it. Starting again after a stop (or a lost
 * slot) is a new snapshot: a new position, a new load.
 */
export async function startSync(actor: Actor, syncId: string): Promise<{ jobId: string; loadJobId: string | null }> {
  const sync = await prisma().sync.findUnique({ where: { id: syncId }, include: { job: { select: { status: true } }, mapping: true } });
  if (!sync) throw notFound('Sync');
  assertMappingNotArchived(sync.mapping, 'starting a sync');
  if (sync.job && !isFinal(sync.job.status)) throw new AppError('illegal_transition', `The sync is already ${sync.job.status.replace(/_/g, ' ')}; pause, resume or stop it instead`);
  const version = await latestSpec(sync.mappingId);
  const from = await reachable('Could not take the starting position on the source', () => captureStartPosition(sync, { sourceConnectionId: sync.mapping.sourceConnectionId, sourceTable: sync.mapping.sourceTable, sourceKey: version.spec.source.key }));
  const load = sync.initialLoad === 'full' ? await startMigration(actor, { mappingId: sync.mappingId, version: version.version, options: {} }) : null;
  const checkpoint: SyncCheckpoint = load ? { phase: 'initial_load', loadJobId: load.id, from } : { phase: 'streaming', from };
  const job = await prisma().job.create({
    data: {
      kind: 'sync',
      status: 'running',
      startedAt: new Date(),
      plannedAt: new Date(),
      mappingId: sync.mappingId,
      mappingVersionId: version.id,
      options: jobOptionsSchema.parse({}) as Prisma.InputJsonValue,
      createdById: actor.id,
      chunks: { create: { seq: 0, cursor: checkpoint as Prisma.InputJsonValue } },
    },
    select: { id: true, chunks: { select: { id: true } } },
  });
  if (load) await prisma().job.update({ where: { id: load.id }, data: { parentJobId: job.id } });
  await prisma().sync.update({
    where: { id: syncId },
    data: { jobId: job.id, lastCommitAt: null, lastAppliedAt: null, pendingSince: null, captureHealth: Prisma.DbNull, lastRunAt: null, lastReconcileAt: null },
  });
  const unitId = job.chunks[0].id;
  const where = from.kind === 'postgres' ? `slot position ${from.lsn}` : from.kind === 'binlog' ? `binlog ${from.checkpoint.file}:${from.checkpoint.position}` : from.at ? `cursor ${from.at.cursor}` : 'the first row';
  await recordEvent(job.id, 'created', `Sync started by ${actor.email} with "${sync.mapping.name}" v${version.version}: ${load ? 'initial load first, then changes' : 'changes only'} from ${where}`);
  await recordAudit(actor, 'sync.start', 'sync', syncId, null, { jobId: job.id, loadJobId: load?.id ?? null, version: version.version });
  if (sync.mode === 'cursor' && sync.cursorColumn) {
    // Advice, never a refusal: without an index on (cursor, key) every run scans the source table.
    const advice = await cursorIndexWarning(await cachedConnector(sync.mapping.sourceConnectionId), sync.mapping.sourceTable, sync.cursorColumn, version.spec.source.key).catch(() => null);
    if (advice) await recordEvent(job.id, 'cursor_index_missing', advice, undefined, 'warn');
  }
  await scheduleSync(sync, { jobId: job.id, unitId });
  // The first run now, not at the first tick.
  await enqueueUnits(syncKind, job.id, [unitId], `start${Date.now().toString(36)}`);
  return { jobId: job.id, loadJobId: load?.id ?? null };
}

async function currentJobOf(syncId: string): Promise<string> {
  const sync = await prisma().sync.findUnique({ where: { id: syncId }, select: { jobId: true } });
  if (!sync) throw notFound('Sync');
  if (!sync.jobId) throw new AppError('illegal_transition', 'The sync has not been started');
  return sync.jobId;
}

export const pauseSync = async (actor: Actor, syncId: string): Promise<JobStatus> => pauseJob(actor, await currentJobOf(syncId));
export const resumeSync = async (actor: Actor, syncId: string): Promise<JobStatus> => resumeJob(actor, await currentJobOf(syncId));
/** Stops for good: the next start is a new snapshot. A PostgreSQL slot is dropped so it keeps no WAL. */
export const stopSync = async (actor: Actor, syncId: string): Promise<JobStatus> => cancelJob(actor, await currentJobOf(syncId));
