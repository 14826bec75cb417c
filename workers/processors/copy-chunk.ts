import type { KeyTuple } from '@/lib/connectors/connector';
import { prisma } from '@/lib/db/client';
import { claimTargetKeys, duplicatesPossible } from '@/lib/engine/claim-target-keys';
import type { ErrorRowDraft } from '@/lib/engine/error-row-draft';
import { keyOf } from '@/lib/engine/key-text';
import { loadJobContext, type JobContext } from '@/lib/engine/load-job-context';
import { saveCheckpoint } from '@/lib/engine/save-checkpoint';
import { makeBatchTransformer } from '@/lib/engine/transform-rows';
import { sourceColumnsOf, targetColumnsOf } from '@/lib/mapping/apply-mapping';
import { writeWithBisection } from '@/lib/engine/write-with-bisection';
import { settleJob } from '@/lib/jobs/finalize-job';
import { recordEvent } from '@/lib/jobs/record-event';
import { jobPayloads } from '@/lib/queue/job-names';
import type { ProcessorContext } from '../registry';

type Stop = 'paused' | 'cancelled' | null;

/** Between batches: has an admin asked this job to pause or cancel? */
async function requestedStop(jobId: string): Promise<Stop> {
  const job = await prisma().job.findUnique({ where: { id: jobId }, select: { status: true } });
  if (!job || job.status === 'cancelling' || job.status === 'cancelled') return 'cancelled';
  if (job.status === 'pausing' || job.status === 'paused') return 'paused';
  return null;
}

async function stopChunk(jobId: string, chunkId: string, stop: Exclude<Stop, null>) {
  await prisma().chunk.update({ where: { id: chunkId }, data: { status: stop, workerId: null } });
  await settleJob(jobId);
  return { stopped: stop };
}

/**
 * Copies one key range: read a batch (keyset), map and validate, claim target keys,
 * write with bisection, then checkpoint (error rows + cursor + counters) in one
 * transaction. Pause and cancel are honoured between batches.
 */
export async function copyChunk({ job, workerId }: ProcessorContext) {
  const { jobId, chunkId } = jobPayloads['copy-chunk'].parse(job.data);
  const chunk = await prisma().chunk.findUnique({ where: { id: chunkId } });
  if (!chunk || ['done', 'failed', 'cancelled'].includes(chunk.status)) return { skipped: 'chunk already finished' };

  const stop = await requestedStop(jobId);
  if (stop) return stopChunk(jobId, chunkId, stop);

  const ctx = await loadJobContext(jobId);
  if (!ctx) return { skipped: 'job deleted' };
  await prisma().chunk.update({
    where: { id: chunkId },
    data: { status: 'running', workerId, attempts: { increment: 1 }, heartbeatAt: new Date(), startedAt: chunk.startedAt ?? new Date() },
  });
  if (chunk.attempts > 0) {
    await recordEvent(jobId, 'chunk_retry', `Chunk ${chunk.seq} resumed by ${workerId} (attempt ${chunk.attempts + 1})`, {
      chunk: chunk.seq,
      lastError: chunk.lastError,
    }, 'warn');
  }

  try {
    const stopped = await copyBatches(ctx, chunkId, chunk.lowerKey as KeyTuple | null, chunk.upperKey as KeyTuple | null, chunk.cursor as KeyTuple | null);
    if (stopped) return stopChunk(jobId, chunkId, stopped);
  } catch (error) {
    const message = (error as Error).message;
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await prisma().chunk.update({ where: { id: chunkId }, data: { lastError: message.slice(0, 2000), ...(finalAttempt ? { status: 'failed' } : {}) } });
    await recordEvent(jobId, finalAttempt ? 'chunk_failed' : 'chunk_error', `Chunk ${chunk.seq}: ${message}${finalAttempt ? ' (no retries left)' : ' (will retry)'}`, { chunk: chunk.seq }, finalAttempt ? 'error' : 'warn');
    if (finalAttempt) await settleJob(jobId);
    throw error;
  }

  const done = await prisma().chunk.update({
    where: { id: chunkId },
    data: { status: 'done', finishedAt: new Date(), workerId: null },
    select: { seq: true, rowsRead: true, rowsWritten: true, rowsFailed: true },
  });
  await recordEvent(jobId, 'chunk_done', `Chunk ${done.seq} done: ${done.rowsWritten} written, ${done.rowsFailed} failed`, { ...done });
  await settleJob(jobId);
  return done;
}

async function copyBatches(ctx: JobContext, chunkId: string, lower: KeyTuple | null, upper: KeyTuple | null, cursor: KeyTuple | null): Promise<Stop> {
  const { spec, options } = ctx;
  const transform = makeBatchTransformer(spec, ctx.targetTable.columns);
  const checkDuplicates = duplicatesPossible(spec);
  const columns = targetColumnsOf(spec);
  const batches = ctx.source.readRange({
    table: spec.source.table,
    keyColumns: spec.source.key,
    columns: sourceColumnsOf(spec),
    range: { lower, upper },
    after: cursor,
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
    const written = await writeWithBisection(
      ctx.target,
      { table: spec.target.table, keyColumns: spec.target.key, columns, mode: spec.writeMode },
      writable.map((row) => ({ values: columns.map((c) => row.values[c] ?? null), origin: row })),
    );
    for (const { origin, failure } of written.failed) {
      allErrors.push({ sourceKey: origin.sourceKey, sourceRow: origin.sourceRow, stage: 'write', ...failure });
    }
    await saveCheckpoint(ctx.jobId, chunkId, ctx.mappingVersionId, {
      cursor: keyOf(sourceRows[sourceRows.length - 1], spec.source.key),
      read: inScope,
      written: written.written,
      duplicates,
      errors: allErrors,
    });
    const stop = await requestedStop(ctx.jobId);
    if (stop) return stop;
  }
  return null;
}
