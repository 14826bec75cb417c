import { prisma } from '../db/client';
import type { JobStatus } from './job-state';
import { recordEvent } from './record-event';
import { startAutoVerify, type VerifyAfter } from './start-verify';

/** How a kind's plan comes to exist (see settleJob). */
export type PlannedBy = 'planner' | 'at-start';

/**
 * Settles a job after one of its chunks stopped: every chunk finished → a final status
 * that never hides dropped rows; nothing running while pausing/cancelling → paused /
 * cancelled. The job row is locked so two chunks finishing at once decide once. A job
 * that completes is verified as its kind asks (`verifyAfter`). Only a planned job
 * completes: its planner recorded the plan (`plannedBy: 'planner'`), or the job was created
 * with its units (`'at-start'`: replay, repair).
 */
export async function settleJob(jobId: string, verifyAfter: VerifyAfter, plannedBy: PlannedBy): Promise<JobStatus | null> {
  const outcome = await prisma().$transaction(async (tx) => {
    const [job] = await tx.$queryRaw<{ status: JobStatus; planned: boolean }[]>`
      SELECT status, planned_at IS NOT NULL AS planned FROM jobs WHERE id = ${jobId} FOR UPDATE`;
    if (!job) return null;
    const chunks = await tx.chunk.groupBy({ by: ['status'], where: { jobId }, _count: { _all: true } });
    const count = (s: string) => chunks.find((c) => c.status === s)?._count._all ?? 0;
    const active = count('pending') + count('running');
    const totals = await tx.chunk.aggregate({
      where: { jobId },
      _sum: { rowsRead: true, rowsWritten: true, rowsFailed: true, rowsDuplicate: true },
    });
    const failedRows = totals._sum.rowsFailed ?? 0;

    let next: JobStatus | null = null;
    let reason: string | null = null;
    // Without its plan a job has nothing to show for itself: it never completes (resume plans again).
    const planned = plannedBy === 'at-start' ? chunks.length > 0 : job.planned;
    if (job.status === 'running' && planned && active === 0 && count('paused') === 0) {
      if (count('failed') > 0) {
        next = 'failed';
        reason = `${count('failed')} chunk(s) failed after all retries; see the event log`;
      } else if (failedRows > 0) {
        next = 'completed_with_errors';
        reason = `${failedRows} row(s) did not land; they are listed as error rows`;
      } else {
        next = 'completed';
      }
    } else if (job.status === 'pausing' && count('running') === 0) {
      next = 'paused';
    } else if (job.status === 'cancelling' && count('running') === 0) {
      next = 'cancelled';
      reason = `Cancelled; ${totals._sum.rowsWritten ?? 0} row(s) written before the cancel stay in the target`;
    }
    if (!next) return null;
    const final = next !== 'paused';
    await tx.job.update({
      where: { id: jobId },
      data: { status: next, ...(reason ? { stopReason: reason } : {}), ...(final ? { finishedAt: new Date() } : {}) },
    });
    if (final) await tx.$executeRaw`DELETE FROM run_keys WHERE job_no = (SELECT job_no FROM jobs WHERE id = ${jobId})`;
    return { next, reason, totals: totals._sum };
  });
  if (!outcome) return null;
  await recordEvent(
    jobId,
    outcome.next === 'paused' ? 'paused' : 'finished',
    `Job ${outcome.next.replace(/_/g, ' ')}${outcome.reason ? `: ${outcome.reason}` : ''}`,
    { ...outcome.totals },
    outcome.next === 'failed' ? 'error' : outcome.next === 'completed' || outcome.next === 'paused' ? 'info' : 'warn',
  );
  // After the job is settled, never as part of it: startAutoVerify catches and records its own failures.
  if (outcome.next === 'completed' || outcome.next === 'completed_with_errors') await startAutoVerify(jobId, verifyAfter);
  return outcome.next;
}
