import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../audit/record-audit';
import { assertMappingNotArchived, lockUnarchivedMapping } from '../saved-mappings/mapping-archive-guard';
import type { Actor } from '../auth/roles';
import { replayableOnly } from '../engine/replay-error-rows';
import { replayOptionsSchema, type ReplayOptions } from '../schemas/job-request';
import { jobKindOf } from './kinds/job-kinds';
import { replayKind } from './kinds/replay';
import { enqueueUnits } from './units/enqueue-units';
import { isFinal } from './job-state';
import { recordEvent } from './record-event';
import { withTargetTableLease } from './target-table-lease';

/** Only these error rows (`errorRowIds`); default: every unresolved error row of the job. Stored as the replay's options. */
export const startReplaySchema = replayOptionsSchema;
export type StartReplayRequest = ReplayOptions;

/**
 * Replays a finished job's (or a running sync's) unresolved error rows through the mapping's latest version.
 * The replay is a job of its own (kind replay, parent = the original), so its outcome
 * and counters sit in the job history like any run. It is refused while a job empties
 * or deletes from the target table (target-table-lease.ts).
 */
export async function startReplay(actor: Actor, parentJobId: string, request: StartReplayRequest) {
  const parent = await prisma().job.findUnique({
    where: { id: parentJobId },
    select: { status: true, kind: true, mappingId: true, mapping: { select: { latestVersion: true, name: true, targetConnectionId: true, targetTable: true, archivedAt: true } } },
  });
  if (!parent) throw notFound('Job');
  assertMappingNotArchived(parent.mapping, 'replaying its error rows');
  // A sync's job never finishes by itself: its failed rows are replayed while it runs (writes are upserts either way).
  const runsUntilStopped = jobKindOf(parent.kind).units.deliveredBy === 'schedule';
  if (!isFinal(parent.status) && !runsUntilStopped) throw new AppError('illegal_transition', `Wait until the job has finished (it is ${parent.status.replace(/_/g, ' ')}) before replaying its error rows`);
  const open = await prisma().errorRow.count({
    where: { jobId: parentJobId, resolvedAt: null, ...(request.errorRowIds ? { id: { in: request.errorRowIds } } : replayableOnly) },
  });
  if (open === 0) throw new AppError('conflict', 'This job has no unresolved error rows to replay');
  const version = await prisma().mappingVersion.findUniqueOrThrow({
    where: { mappingId_version: { mappingId: parent.mappingId, version: parent.mapping.latestVersion } },
    select: { id: true, version: true },
  });
  const use = { connectionId: parent.mapping.targetConnectionId, table: parent.mapping.targetTable, destructive: false, action: 'this replay' };
  const job = await withTargetTableLease(use, async (tx) => {
    await lockUnarchivedMapping(tx, parent.mappingId, 'replaying its error rows');
    return tx.job.create({
      data: {
        kind: 'replay',
        mappingId: parent.mappingId,
        mappingVersionId: version.id,
        parentJobId,
        rowsEstimated: open,
        createdById: actor.id,
        options: request.errorRowIds ? { errorRowIds: request.errorRowIds } : {},
        chunks: { create: { seq: 0 } },
      },
      select: { id: true, chunks: { select: { id: true } } },
    });
  });
  await recordEvent(job.id, 'created', `Replay of ${open} error row(s) of job ${parentJobId} with "${parent.mapping.name}" v${version.version}, by ${actor.email}`);
  await recordAudit(actor, 'job.replay', 'job', job.id, null, { parentJobId, version: version.version, rows: open });
  await prisma().job.update({ where: { id: job.id }, data: { status: 'running', startedAt: new Date() } });
  await enqueueUnits(replayKind, job.id, job.chunks.map((c) => c.id));
  return { id: job.id };
}
