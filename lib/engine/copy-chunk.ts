import type { KeyTuple } from '../connectors/connector';
import { prisma } from '../db/client';
import type { UnitOutcome, UnitRun } from '../jobs/units/run-unit';
import { chunkReadRequest, emptyStepTimes, makeBatchCopier } from './copy-batch';
import { loadJobContext } from './load-job-context';

/**
 * Copies one key range of a migration: read a batch (keyset), map and validate, claim
 * target keys, write with bisection, then checkpoint (error rows + cursor + counters) in
 * one statement that only the lease holder can commit. The checkpoint also reads the
 * job's status, so pause, cancel and shutdown are checked between batches without a
 * round trip of their own.
 */
export async function copyChunk(run: UnitRun<KeyTuple>): Promise<UnitOutcome> {
  const ctx = await loadJobContext(run.jobId);
  if (!ctx) return { skipped: 'job deleted' };
  // Where this attempt's time went, per step: logged with the chunk (benchmarks read it).
  const times = emptyStepTimes();
  const lease = { ...run.lease, cursor: run.cursor };
  const copyBatch = makeBatchCopier(ctx, run.unitId, lease, times);
  const batches = ctx.source.readRangeArrays({ ...chunkReadRequest(ctx, lease), after: run.cursor });
  let readFrom = performance.now();
  for await (const sourceRows of batches) {
    times.read += performance.now() - readFrom;
    if (sourceRows.length === 0) continue;
    const stop = run.stopFor(await copyBatch(sourceRows));
    if (stop) return { stopped: stop };
    readFrom = performance.now();
  }
  const done = await prisma().chunk.findUniqueOrThrow({ where: { id: run.unitId }, select: { seq: true, rowsRead: true, rowsWritten: true, rowsFailed: true } });
  return {
    done: {
      type: 'chunk_done',
      message: `Chunk ${done.seq} done: ${done.rowsWritten} written, ${done.rowsFailed} failed`,
      data: { ...done, stepMs: Object.fromEntries(Object.entries(times).map(([step, v]) => [step, Math.round(v)])) },
    },
  };
}
