import { compareRange, type RangeResult } from '@/lib/consistency/compare-range';
import { findExtras } from '@/lib/consistency/find-extras';
import { claimRange, heartbeatRange, releaseRange } from '@/lib/consistency/range-lease';
import { enqueueRanges, settleVerify } from '@/lib/consistency/settle-verify';
import { finishRange, type RangeOwner } from '@/lib/consistency/store-diffs';
import { loadVerifyContext } from '@/lib/consistency/verify-context';
import { prisma } from '@/lib/db/client';
import { LeaseLostError } from '@/lib/engine/chunk-lease';
import { recordEvent } from '@/lib/jobs/record-event';
import { jobPayloads } from '@/lib/queue/job-names';
import type { ProcessorContext } from '../registry';
import { isShuttingDown, workerSettings } from '../worker-settings';

type Stop = 'cancelled' | 'shutdown' | null;

async function requestedStop(jobId: string): Promise<Stop> {
  if (isShuttingDown()) return 'shutdown';
  const job = await prisma().job.findUnique({ where: { id: jobId }, select: { status: true } });
  if (!job || ['cancelling', 'cancelled', 'failed'].includes(job.status)) return 'cancelled';
  return null;
}

/**
 * Compares one key range (or, in the extras pass, looks for target keys no source row
 * produced). Diffs are written as they are found, tagged with the attempt; counters and
 * the end of the range are committed once, lease-checked, so a retried range counts
 * once. Cancel and shutdown are honoured between batches.
 */
export async function verifyRange({ job, workerId }: ProcessorContext) {
  const { jobId, rangeId } = jobPayloads['verify-range'].parse(job.data);
  const before = await requestedStop(jobId);
  if (before === 'shutdown') throw new Error('Worker is shutting down; the range will be retried');
  if (before) {
    await prisma().consistencyRange.updateMany({ where: { id: rangeId, status: 'pending' }, data: { status: 'cancelled' } });
    await settleVerify(jobId);
    return { stopped: before };
  }
  const lease = await claimRange(rangeId, workerId, workerSettings.lockMs);
  if (!lease) return { skipped: 'range is finished or owned by a live attempt' };

  let stop: Stop = null;
  const shouldStop = async () => {
    stop = await requestedStop(jobId);
    if (stop) return true;
    if (!(await heartbeatRange(rangeId, lease.leaseId))) throw new LeaseLostError(rangeId);
    return false;
  };
  try {
    const ctx = await loadVerifyContext(jobId);
    if (!ctx) return { skipped: 'job deleted' };
    const owner: RangeOwner = { reportId: ctx.reportId, rangeId, attempt: lease.attempt, mappingId: ctx.mappingId };
    const range = { lower: lease.lowerKey, upper: lease.upperKey };
    const result: RangeResult | null =
      lease.phase === 'compare' ? await compareRange(ctx, owner, range, shouldStop) : await findExtras(ctx, owner, range, shouldStop);
    if (!result) {
      if (stop === 'shutdown') {
        await releaseRange(rangeId, lease.leaseId, 'pending');
        await enqueueRanges(jobId, [rangeId], `h${Date.now().toString(36)}`);
        return { handedOver: true };
      }
      await releaseRange(rangeId, lease.leaseId, 'cancelled');
      await settleVerify(jobId);
      return { stopped: stop };
    }
    await finishRange(owner, lease.leaseId, result);
    await recordEvent(
      jobId,
      'range_done',
      `Range ${lease.seq}${lease.phase === 'extras' ? ' (extras)' : ''}: ${result.matched} matched, ${result.different} different, ${result.missing} missing, ${result.extra} extra`,
      { range: lease.seq, phase: lease.phase, ...result },
    );
  } catch (error) {
    if (error instanceof LeaseLostError) return { skipped: error.message };
    const message = (error as Error).message;
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await releaseRange(rangeId, lease.leaseId, finalAttempt ? 'failed' : 'pending', message);
    await recordEvent(jobId, finalAttempt ? 'range_failed' : 'range_error', `Range ${lease.seq}: ${message}${finalAttempt ? ' (no retries left)' : ' (will retry)'}`, { range: lease.seq }, finalAttempt ? 'error' : 'warn');
    if (finalAttempt) await settleVerify(jobId);
    throw error;
  }
  await settleVerify(jobId);
  return { range: lease.seq };
}
