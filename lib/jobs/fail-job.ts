import { prisma } from '../db/client';
import { recordEvent } from './record-event';

/**
 * Fails a job at once, for a reason no retry can fix, with what to do about it. Its other
 * units see the failed status at their next check and stop; nothing revives a failed job
 * (the sweeper only looks at jobs still waiting to be planned or running).
 */
export async function failJob(jobId: string, reason: string, hint: string): Promise<boolean> {
  const stopReason = hint ? `${reason}. ${hint}` : reason;
  const failed = await prisma().$executeRaw`
    UPDATE jobs SET status = 'failed', stop_reason = ${stopReason.slice(0, 4000)}, condition = NULL, finished_at = now()
     WHERE id = ${jobId} AND status::text NOT IN ('completed', 'completed_with_errors', 'failed', 'cancelled')`;
  if (failed === 1) {
    await prisma().$executeRaw`DELETE FROM run_keys WHERE job_no = (SELECT job_no FROM jobs WHERE id = ${jobId})`;
    await recordEvent(jobId, 'failed', `Job failed: ${stopReason}`, undefined, 'error');
  }
  return failed === 1;
}
