import { prisma } from '@/lib/db/client';
import { claimChunk, LeaseLostError, releaseChunk } from '@/lib/engine/chunk-lease';
import { loadJobContext } from '@/lib/engine/load-job-context';
import { recordReplayOutcome, replayErrorRows, storedErrorRowSelect, toStoredErrorRow } from '@/lib/engine/replay-error-rows';
import { settleJob } from '@/lib/jobs/finalize-job';
import { recordEvent } from '@/lib/jobs/record-event';
import { replayableOnly } from '@/lib/jobs/start-replay';
import { jobPayloads } from '@/lib/queue/job-names';
import type { ProcessorContext } from '../registry';
import { workerSettings } from '../worker-settings';

const REPLAY_BATCH = 500;

/**
 * Replays the parent job's unresolved error rows in id order, checkpointing the last
 * error row id per batch (lease-guarded, like copy-chunk), so a crash resumes there.
 */
export async function replayChunk({ job, workerId }: ProcessorContext) {
  const { jobId, chunkId } = jobPayloads['replay-chunk'].parse(job.data);
  const lease = await claimChunk(chunkId, workerId, workerSettings.lockMs);
  if (!lease) return { skipped: 'chunk is finished or owned by a live attempt' };
  try {
    const ctx = await loadJobContext(jobId);
    const replay = await prisma().job.findUnique({ where: { id: jobId }, select: { parentJobId: true, options: true } });
    if (!ctx || !replay?.parentJobId) return { skipped: 'job deleted' };
    const only = (replay.options as { errorRowIds?: number[] }).errorRowIds;
    let after = (lease.cursor?.[0] as number | undefined) ?? 0;
    for (;;) {
      const rows = await prisma().errorRow.findMany({
        where: { jobId: replay.parentJobId, resolvedAt: null, id: { gt: after, ...(only ? { in: only } : {}) }, ...(only ? {} : replayableOnly) },
        orderBy: { id: 'asc' },
        take: REPLAY_BATCH,
        select: storedErrorRowSelect,
      });
      if (rows.length === 0) break;
      const outcome = await replayErrorRows(
        { spec: ctx.spec, mappingVersionId: ctx.mappingVersionId, source: ctx.source, target: ctx.target, targetColumns: ctx.targetTable.columns },
        rows.map(toStoredErrorRow),
      );
      after = rows[rows.length - 1].id;
      await prisma().$transaction(async (tx) => {
        await recordReplayOutcome(tx, outcome, jobId, ctx.mappingVersionId);
        const moved = await tx.chunk.updateMany({
          where: { id: chunkId, leaseId: lease.leaseId },
          data: {
            cursor: [after],
            rowsRead: { increment: rows.length },
            rowsWritten: { increment: outcome.written },
            rowsFailed: { increment: outcome.stillFailing.length },
            heartbeatAt: new Date(),
          },
        });
        if (moved.count !== 1) throw new LeaseLostError(chunkId);
      });
    }
  } catch (error) {
    if (error instanceof LeaseLostError) return { skipped: error.message };
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await releaseChunk(chunkId, lease.leaseId, finalAttempt ? 'failed' : 'pending', (error as Error).message);
    if (finalAttempt) await settleJob(jobId);
    throw error;
  }
  await releaseChunk(chunkId, lease.leaseId, 'done');
  const totals = await prisma().chunk.findUniqueOrThrow({ where: { id: chunkId }, select: { rowsRead: true, rowsWritten: true, rowsFailed: true } });
  await recordEvent(jobId, 'replayed', `Replayed ${totals.rowsRead} row(s): ${totals.rowsWritten} now landed, ${totals.rowsFailed} still fail`, { ...totals });
  await settleJob(jobId);
  return totals;
}
