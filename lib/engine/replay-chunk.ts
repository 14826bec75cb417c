import { prisma } from '../db/client';
import type { ReplayOptions } from '../schemas/job-request';
import type { UnitOutcome, UnitRun } from '../jobs/units/run-unit';
import { LeaseLostError } from '../jobs/units/unit-lease';
import { keepCorrections, withCorrections } from '../corrections/keep-corrections';
import { loadJobContext } from './load-job-context';
import { recordReplayOutcome, replayableOnly, replayErrorRows, storedErrorRowSelect, toStoredErrorRow } from './replay-error-rows';

const REPLAY_BATCH = 500;

/** A replay's checkpoint: the last error row id handled. */
export type ReplayCursor = [afterErrorRowId: number];

/**
 * Replays the parent job's unresolved error rows in id order, checkpointing the last
 * error row id per batch (lease-guarded, like a migration chunk), so a crash resumes
 * there; pause, cancel and shutdown are checked between batches. A corrected key is
 * replayed with its correction; an edited row that lands becomes its key's correction.
 */
export async function replayChunk(run: UnitRun<ReplayCursor>, options: ReplayOptions): Promise<UnitOutcome> {
  const { jobId, unitId: chunkId, lease } = run;
  const ctx = await loadJobContext(jobId);
  const replay = await prisma().job.findUnique({ where: { id: jobId }, select: { parentJobId: true, mappingId: true } });
  if (!ctx || !replay?.parentJobId) return { skipped: 'job deleted' };
  const only = options.errorRowIds;
  let after = run.cursor?.[0] ?? 0;
  for (;;) {
    const stop = await run.pollStop();
    if (stop) return { stopped: stop };
    const rows = await prisma().errorRow.findMany({
      where: { jobId: replay.parentJobId, resolvedAt: null, id: { gt: after, ...(only ? { in: only } : {}) }, ...(only ? {} : replayableOnly) },
      orderBy: { id: 'asc' },
      take: REPLAY_BATCH,
      select: storedErrorRowSelect,
    });
    if (rows.length === 0) break;
    const outcome = await replayErrorRows(
      { spec: ctx.spec, mappingVersionId: ctx.mappingVersionId, source: ctx.source, target: ctx.target, targetColumns: ctx.targetTable.columns, sourceColumns: ctx.sourceTable.columns, references: ctx.references, ids: ctx.ids },
      await withCorrections(replay.mappingId, rows.map(toStoredErrorRow)),
    );
    after = rows[rows.length - 1].id;
    await prisma().$transaction(async (tx) => {
      await recordReplayOutcome(tx, outcome, jobId, ctx.mappingVersionId);
      await keepCorrections(tx, replay.mappingId, outcome.resolved);
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
      if (moved.count !== 1) throw new LeaseLostError('chunk', chunkId);
    });
  }
  const totals = await prisma().chunk.findUniqueOrThrow({ where: { id: chunkId }, select: { rowsRead: true, rowsWritten: true, rowsFailed: true } });
  return {
    done: { type: 'replayed', message: `Replayed ${totals.rowsRead} row(s): ${totals.rowsWritten} now landed, ${totals.rowsFailed} still fail`, data: { ...totals } },
  };
}
