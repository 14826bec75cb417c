import type { KeyTuple } from '@/lib/connectors/connector';
import { prisma } from '@/lib/db/client';
import { claimChunk, LeaseLostError, releaseChunk, type ChunkLease } from '@/lib/engine/chunk-lease';
import { claimTargetKeys, duplicatesPossible } from '@/lib/engine/claim-target-keys';
import { enqueueChunks } from '@/lib/engine/enqueue-chunks';
import type { ErrorRowDraft } from '@/lib/engine/error-row-draft';
import { keyOf } from '@/lib/engine/key-text';
import { loadJobContext, type JobContext } from '@/lib/engine/load-job-context';
import { saveCheckpoint } from '@/lib/engine/save-checkpoint';
import { makeBatchTransformer } from '@/lib/engine/transform-rows';
import { rejectUniqueConflicts } from '@/lib/engine/reject-unique-conflicts';
import { writeWithBisection } from '@/lib/engine/write-with-bisection';
import { batchTimeoutMs, StepTimeoutError, withTimeout } from '@/lib/engine/with-timeout';
import { abandonCachedConnectors } from '@/lib/engine/connector-cache';
import { sourceColumnsOf, targetColumnsOf } from '@/lib/mapping/apply-mapping';
import { enforceErrorPolicy } from '@/lib/jobs/enforce-error-policy';
import { settleJob } from '@/lib/jobs/finalize-job';
import { recordEvent } from '@/lib/jobs/record-event';
import { jobPayloads } from '@/lib/queue/job-names';
import type { ProcessorContext } from '../registry';
import { isShuttingDown, workerSettings } from '../worker-settings';

type Stop = 'paused' | 'cancelled' | 'shutdown' | null;

/** Between batches: has an admin (or the error policy) asked this job to stop? */
async function requestedStop(jobId: string): Promise<Stop> {
  if (isShuttingDown()) return 'shutdown';
  const job = await prisma().job.findUnique({ where: { id: jobId }, select: { status: true } });
  if (!job || ['cancelling', 'cancelled', 'failed'].includes(job.status)) return 'cancelled';
  if (job.status === 'pausing' || job.status === 'paused') return 'paused';
  return null;
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

  try {
    const ctx = await loadJobContext(jobId);
    if (!ctx) return { skipped: 'job deleted' };
    const stopped = await copyBatches(ctx, chunkId, lease);
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
  await recordEvent(jobId, 'chunk_done', `Chunk ${done.seq} done: ${done.rowsWritten} written, ${done.rowsFailed} failed`, { ...done });
  await settleJob(jobId);
  return done;
}

async function copyBatches(ctx: JobContext, chunkId: string, lease: ChunkLease): Promise<Stop> {
  const { spec, options } = ctx;
  const transform = makeBatchTransformer(spec, ctx.targetTable.columns);
  const checkDuplicates = duplicatesPossible(spec);
  const columns = targetColumnsOf(spec);
  const batches = ctx.source.readRange({
    table: spec.source.table,
    keyColumns: spec.source.key,
    columns: sourceColumnsOf(spec),
    range: { lower: lease.lowerKey, upper: lease.upperKey },
    after: lease.cursor,
    batchSize: options.batchRows,
  });
  for await (const sourceRows of batches) {
    if (sourceRows.length === 0) continue;
    const { rows, errors, inScope } = transform(sourceRows);
    const allErrors: ErrorRowDraft[] = [...errors];
    let writable = rows;
    let duplicates = 0;
    if (checkDuplicates) {
      const outcome = await claimTargetKeys(ctx.jobId, spec, rows);
      writable = outcome.winners;
      duplicates = outcome.duplicates;
      allErrors.push(...outcome.losers);
    }
    const unique = await withTimeout(rejectUniqueConflicts(ctx.target, ctx.targetTable, spec.target.key, writable), batchTimeoutMs(), 'Checking unique values');
    for (const { row, failure } of unique.rejected) allErrors.push({ sourceKey: row.sourceKey, sourceRow: row.sourceRow, stage: 'write', ...failure });
    const written = await withTimeout(
      writeWithBisection(
        ctx.target,
        { table: spec.target.table, keyColumns: spec.target.key, columns, mode: spec.writeMode },
        unique.clean.map((row) => ({ values: columns.map((c) => row.values[c] ?? null), origin: row })),
      ),
      batchTimeoutMs(),
      'Writing a batch',
    );
    for (const { origin, failure } of written.failed) {
      allErrors.push({ sourceKey: origin.sourceKey, sourceRow: origin.sourceRow, stage: 'write', ...failure });
    }
    await saveCheckpoint(ctx.jobId, chunkId, lease.leaseId, ctx.mappingVersionId, {
      cursor: keyOf(sourceRows[sourceRows.length - 1], spec.source.key) as KeyTuple,
      read: inScope,
      written: written.written,
      duplicates,
      errors: allErrors,
    });
    if (allErrors.length > 0) await enforceErrorPolicy(ctx.jobId, options.errorPolicy);
    const stop = await requestedStop(ctx.jobId);
    if (stop) return stop;
  }
  return null;
}
