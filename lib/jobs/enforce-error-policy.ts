import { prisma } from '../db/client';
import type { ErrorPolicy } from '../schemas/job-request';
import { recordEvent } from './record-event';

/** Percent limits only apply once enough rows were read for a share to mean something. */
const MIN_ROWS_FOR_PERCENT = 1000;

/** Why the policy trips for these totals, or null (pure, for tests and the job page). */
export function errorPolicyBreach(policy: ErrorPolicy, read: number, failed: number, estimated: number | null): string | null {
  if (policy.action === 'continue') return null;
  if (policy.maxFailedRows !== undefined && failed > policy.maxFailedRows) {
    return `${failed} failed rows exceed the limit of ${policy.maxFailedRows}`;
  }
  const enough = read >= Math.min(MIN_ROWS_FOR_PERCENT, estimated ?? MIN_ROWS_FOR_PERCENT);
  if (policy.maxFailedPercent !== undefined && enough && read > 0 && (failed / read) * 100 > policy.maxFailedPercent) {
    return `${((failed / read) * 100).toFixed(2)} % of rows read failed, over the limit of ${policy.maxFailedPercent} %`;
  }
  return null;
}

/**
 * The escalation ladder (log the row → pause the job → stop it), checked after every
 * batch that had failures. Pausing keeps everything resumable; stopping marks the job
 * failed with the reason, and running chunks end at their next batch boundary.
 */
export async function enforceErrorPolicy(jobId: string, policy: ErrorPolicy): Promise<void> {
  if (policy.action === 'continue') return;
  const [totals, job] = await Promise.all([
    prisma().chunk.aggregate({ where: { jobId }, _sum: { rowsRead: true, rowsFailed: true } }),
    prisma().job.findUnique({ where: { id: jobId }, select: { rowsEstimated: true } }),
  ]);
  const breach = errorPolicyBreach(policy, totals._sum.rowsRead ?? 0, totals._sum.rowsFailed ?? 0, job?.rowsEstimated ?? null);
  if (!breach) return;
  const reason = policy.action === 'pause' ? `Paused by the error policy: ${breach}` : `Stopped by the error policy: ${breach}`;
  const moved = await prisma().job.updateMany({
    where: { id: jobId, status: { in: ['running', 'planning'] } },
    data: policy.action === 'pause' ? { status: 'pausing', stopReason: reason } : { status: 'failed', stopReason: reason, finishedAt: new Date() },
  });
  if (moved.count === 1) await recordEvent(jobId, policy.action === 'pause' ? 'policy_pause' : 'policy_stop', reason, undefined, 'error');
}
