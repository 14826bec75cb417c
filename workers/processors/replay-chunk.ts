import { prisma } from '@/lib/db/client';
import { LeaseLostError } from '@/lib/engine/chunk-lease';
import { loadJobContext } from '@/lib/engine/load-job-context';
import { recordReplayOutcome, replayErrorRows, storedErrorRowSelect, toStoredErrorRow } from '@/lib/engine/replay-error-rows';
import { replayableOnly } from '@/lib/jobs/start-replay';
import { jobPayloads } from '@/lib/queue/job-names';
import type { ProcessorContext } from '../registry';
import { runSingleChunkJob } from '../single-chunk-job';

const REPLAY_BATCH = 500;

/**
 * Replays the parent job's unresolved error rows in id order, checkpointing the last
 * error row id per batch (lease-guarded, like copy-chunk), so a crash resumes there.
 */
export async function replayChunk(context: ProcessorContext) {
  const { jobId, chunkId } = jobPayloads['replay-chunk'].parse(context.job.data);
  return runSingleChunkJob(context, {
    jobId,
    chunkId,
    doneEvent: {
      type: 'replayed',
      message: (totals) => `Replayed ${totals.rowsRead} row(s): ${totals.rowsWritten} now landed, ${totals.rowsFailed} still fail`,
    },
    async work(lease) {
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
        if (rows.length === 0) return undefined;
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
    },
  });
}
