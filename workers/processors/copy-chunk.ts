import { prisma } from '@/lib/db/client';
import { claimChunk, LeaseLostError, releaseChunk, type ChunkLease } from '@/lib/engine/chunk-lease';
import { enqueueChunks } from '@/lib/engine/enqueue-chunks';
import { loadJobContext, type JobContext } from '@/lib/engine/load-job-context';
import { StepTimeoutError } from '@/lib/engine/with-timeout';
import { chunkReadRequest, emptyStepTimes, makeBatchCopier, type BatchStepTimes } from '@/lib/engine/copy-batch';
import type { JobStatus } from '@/lib/jobs/job-state';
import { abandonCachedConnectors } from '@/lib/engine/connector-cache';
import { settleJob } from '@/lib/jobs/finalize-job';
import { recordEvent } from '@/lib/jobs/record-event';
import { jobPayloads } from '@/lib/queue/job-names';
import type { ProcessorContext } from '../registry';
import { isShuttingDown, workerSettings } from '../worker-settings';

type Stop = 'paused' | 'cancelled' | 'shutdown' | null;

/** Has an admin (or the error policy) asked this job to stop? `null`: the job is gone. */
function stopFor(status: JobStatus | null): Stop {
  if (!status || ['cancelling', 'cancelled', 'failed'].includes(status)) return 'cancelled';
  if (status === 'pausing' || status === 'paused') return 'paused';
  return null;
}

/** Before the first batch: is the worker shutting down, or the job stopping? */
async function requestedStop(jobId: string): Promise<Stop> {
  if (isShuttingDown()) return 'shutdown';
  const job = await prisma().job.findUnique({ where: { id: jobId }, select: { status: true } });
  return stopFor(job?.status ?? null);
}

/**
 * Copies one key range: read a batch (keyset), map and validate, claim target keys,
 * write with bisection, then checkpoint (error rows + cursor + counters) in one
 * transaction that only the lease holder can commit. Pause, cancel and worker shutdown
 * are honoured between batches.
 */
export async function copyChunk({ job, workerId }: ProcessorContext) {
  const { jobId, chunkId } = jobPayloads['copy-chunk'].parse(job.data);
  const stop = await requestedStop(jobId);
  if (stop === 'shutdown') throw new Error('Worker is shutting down; the chunk will be retried');
  if (stop) {
    await prisma().chunk.updateMany({ where: { id: chunkId, status: 'pending' }, data: { status: stop } });
    await settleJob(jobId);
    return { stopped: stop };
  }
  const lease = await claimChunk(chunkId, workerId, workerSettings.lockMs);
  if (!lease) return { skipped: 'chunk is finished or owned by a live attempt' };
  if (lease.attempts > 1) {
    await recordEvent(jobId, 'chunk_retry', `Chunk ${lease.seq} continues from its checkpoint on ${workerId} (attempt ${lease.attempts})`, {
      chunk: lease.seq,
      lastError: lease.lastError,
    }, 'warn');
  }

  // Where this attempt's time went, per step: logged with the chunk (benchmarks read it).
  const times = emptyStepTimes();
  try {
    const ctx = await loadJobContext(jobId);
    if (!ctx) return { skipped: 'job deleted' };
    const stopped = await copyBatches(ctx, chunkId, lease, times);
    if (stopped === 'shutdown') {
      // Hand the chunk to another worker now rather than after the lock expires.
      await releaseChunk(chunkId, lease.leaseId, 'pending');
      await enqueueChunks(jobId, [chunkId], `h${Date.now().toString(36)}`);
      await recordEvent(jobId, 'chunk_handed_over', `Chunk ${lease.seq} checkpointed by ${workerId}, which is shutting down; another worker continues it`);
      return { handedOver: true };
    }
    if (stopped) {
      await releaseChunk(chunkId, lease.leaseId, stopped);
      await settleJob(jobId);
      return { stopped };
    }
  } catch (error) {
    if (error instanceof LeaseLostError) return { skipped: error.message };
    if (error instanceof StepTimeoutError) abandonCachedConnectors();
    const message = (error as Error).message;
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await releaseChunk(chunkId, lease.leaseId, finalAttempt ? 'failed' : 'pending', message);
    await recordEvent(
      jobId,
      finalAttempt ? 'chunk_failed' : 'chunk_error',
      `Chunk ${lease.seq}: ${message}${finalAttempt ? ' (no retries left)' : ' (will retry from its checkpoint)'}`,
      { chunk: lease.seq },
      finalAttempt ? 'error' : 'warn',
    );
    if (finalAttempt) await settleJob(jobId);
    throw error;
  }

  await releaseChunk(chunkId, lease.leaseId, 'done');
  const done = await prisma().chunk.findUniqueOrThrow({ where: { id: chunkId }, select: { seq: true, rowsRead: true, rowsWritten: true, rowsFailed: true } });
  await recordEvent(jobId, 'chunk_done', `Chunk ${done.seq} done: ${done.rowsWritten} written, ${done.rowsFailed} failed`, {
    ...done,
    stepMs: Object.fromEntries(Object.entries(times).map(([step, v]) => [step, Math.round(v)])),
  });
  await settleJob(jobId);
  return done;
}

async function copyBatches(ctx: JobContext, chunkId: string, lease: ChunkLease, times: BatchStepTimes): Promise<Stop> {
  const copyBatch = makeBatchCopier(ctx, chunkId, lease, times);
  const batches = ctx.source.readRangeArrays({ ...chunkReadRequest(ctx, lease), after: lease.cursor });
  let readFrom = performance.now();
  for await (const sourceRows of batches) {
    times.read += performance.now() - readFrom;
    if (sourceRows.length === 0) continue;
    // The checkpoint reads the job's status too: one round trip for both.
    const status = await copyBatch(sourceRows);
    if (isShuttingDown()) return 'shutdown';
    const stop = stopFor(status);
    if (stop) return stop;
    readFrom = performance.now();
  }
  return null;
}
