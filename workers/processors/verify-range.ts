import { prisma } from '@/lib/db/client';
import { runVerifyRange } from '@/lib/consistency/run-range';
import { settleVerify } from '@/lib/consistency/settle-verify';
import { loadVerifyContext } from '@/lib/consistency/verify-context';
import { recordEvent } from '@/lib/jobs/record-event';
import { enqueue } from '@/lib/queue/enqueue';
import { jobPayloads } from '@/lib/queue/job-names';
import type { ProcessorContext } from '../registry';

/** After a range stopped: settle the report, or plan the lookup strategy's target pass. */
async function settle(jobId: string) {
  const outcome = await settleVerify(jobId);
  if (outcome === 'plan_target') await enqueue('plan-verify', { jobId }, `${jobId}-target`);
  return outcome;
}

/**
 * Compares one key range of a verify job (see lib/consistency/run-range.ts). Verification
 * only reads, so a pause request does not stop it; a cancel does, between ranges.
 */
export async function verifyRange({ job, workerId }: ProcessorContext) {
  const { jobId, rangeId } = jobPayloads['verify-range'].parse(job.data);
  const range = await prisma().consistencyRange.findUnique({ where: { id: rangeId }, select: { status: true, seq: true, phase: true } });
  if (!range || ['done', 'failed', 'cancelled'].includes(range.status)) return { skipped: 'range already finished' };
  const state = await prisma().job.findUnique({ where: { id: jobId }, select: { status: true } });
  if (!state || state.status === 'cancelling' || state.status === 'cancelled' || state.status === 'failed') {
    await prisma().consistencyRange.updateMany({ where: { id: rangeId, status: { in: ['pending', 'running'] } }, data: { status: 'cancelled' } });
    return { stopped: await settle(jobId) };
  }
  const ctx = await loadVerifyContext(jobId);
  if (!ctx) return { skipped: 'job deleted' };

  try {
    const outcome = await runVerifyRange(ctx, rangeId, workerId);
    if (outcome === 'superseded') return { skipped: 'a newer attempt owns this range' };
  } catch (error) {
    const message = (error as Error).message;
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await prisma().consistencyRange.update({
      where: { id: rangeId },
      data: { lastError: message.slice(0, 2000), workerId: null, status: finalAttempt ? 'failed' : 'pending' },
    });
    const what = `Range ${range.phase === 'target' ? 't' : ''}${range.seq}`;
    await recordEvent(jobId, finalAttempt ? 'range_failed' : 'range_error', `${what}: ${message}${finalAttempt ? ' (no retries left)' : ' (will retry)'}`, { range: range.seq }, finalAttempt ? 'error' : 'warn');
    if (finalAttempt) await settle(jobId);
    throw error;
  }
  return { settled: await settle(jobId) };
}
