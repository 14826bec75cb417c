import { prisma } from '@/lib/db/client';
import { isFinal, type JobStatus } from '@/lib/jobs/job-state';

/** Polls until `check` stops throwing (or returns a truthy value), or fails with its last error. */
export async function expectEventually<T>(check: () => Promise<T>, { timeoutMs = 30_000, intervalMs = 200 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = new Error('never checked');
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== false && value !== undefined && value !== null) return value;
      lastError = new Error(`check returned ${String(value)}`);
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw lastError;
}

/** Waits for a job to reach one of `statuses` (default: any final status). */
export async function waitForJob(jobId: string, statuses?: JobStatus[], timeoutMs = 60_000): Promise<JobStatus> {
  return expectEventually(
    async () => {
      const job = await prisma().job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, stopReason: true } });
      const done = statuses ? statuses.includes(job.status) : isFinal(job.status);
      if (!done) throw new Error(`job ${jobId} is ${job.status}${job.stopReason ? ` (${job.stopReason})` : ''}`);
      return job.status;
    },
    { timeoutMs, intervalMs: 250 },
  );
}
