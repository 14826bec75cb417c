import { prisma } from '@/lib/db/client';
import { claimChunk, type ChunkLease, LeaseLostError, releaseChunk } from '@/lib/engine/chunk-lease';
import { settleJob } from '@/lib/jobs/finalize-job';
import { recordEvent } from '@/lib/jobs/record-event';
import type { ProcessorContext } from './registry';
import { workerSettings } from './worker-settings';

export interface ChunkTotals {
  rowsRead: number;
  rowsWritten: number;
  rowsFailed: number;
}

interface SingleChunkJob<Stopped> {
  jobId: string;
  chunkId: string;
  /**
   * The job's work under the lease, checkpointing as it goes. Returns nothing when all is
   * done, or the processor's result when it stopped early (it then releases the chunk
   * itself if it should be released).
   */
  work: (lease: ChunkLease) => Promise<Stopped | undefined>;
  /** The event recorded with the chunk's totals when the work is done. */
  doneEvent: { type: string; message: (totals: ChunkTotals) => string };
}

/**
 * The lease lifecycle of a job that runs as one chunk (replay, repair): a second delivery
 * skips while the owner is alive; a taken-over attempt stops without counting; a failure
 * hands the chunk back for a retry, or fails it and settles the job on the last attempt;
 * done releases the chunk, records the totals and settles the job.
 */
export async function runSingleChunkJob<Stopped>({ job, workerId }: ProcessorContext, spec: SingleChunkJob<Stopped>) {
  const { jobId, chunkId } = spec;
  const lease = await claimChunk(chunkId, workerId, workerSettings.lockMs);
  if (!lease) return { skipped: 'chunk is finished or owned by a live attempt' };
  try {
    const stopped = await spec.work(lease);
    if (stopped !== undefined) return stopped;
  } catch (error) {
    if (error instanceof LeaseLostError) return { skipped: error.message };
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await releaseChunk(chunkId, lease.leaseId, finalAttempt ? 'failed' : 'pending', (error as Error).message);
    if (finalAttempt) await settleJob(jobId);
    throw error;
  }
  await releaseChunk(chunkId, lease.leaseId, 'done');
  const totals = await prisma().chunk.findUniqueOrThrow({ where: { id: chunkId }, select: { rowsRead: true, rowsWritten: true, rowsFailed: true } });
  await recordEvent(jobId, spec.doneEvent.type, spec.doneEvent.message(totals), { ...totals });
  await settleJob(jobId);
  return totals;
}
