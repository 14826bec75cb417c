import type { Actor } from '@/lib/auth/roles';
import { prisma } from '@/lib/db/client';
import { claimUnit } from '@/lib/jobs/units/unit-lease';
import { chunkStore } from '@/lib/jobs/units/unit-stores';
import { closeCachedConnectors } from '@/lib/engine/connector-cache';
import { chunkReadRequest, emptyStepTimes, makeBatchCopier, type BatchStepTimes } from '@/lib/engine/copy-batch';
import { loadJobContext } from '@/lib/engine/load-job-context';
import { log } from './bench-env';
import { resetTarget } from './run-migration';

/**
 * Runs one chunk in this process through the engine's own batch copier
 * (lib/engine/copy-batch.ts, what workers/processors/copy-chunk.ts runs), timing each
 * step: read / transform / claim / unique check / write / checkpoint. One process, one
 * chunk: it shows where a batch's time goes, not the parallel throughput.
 */

const ms = (v: number) => `${v.toFixed(0).padStart(7)} ms`;

function report(label: string, t: BatchStepTimes): void {
  const steps = [
    ['read', t.read], ['transform', t.transform], ['claim', t.claim], ['unique check', t.uniqueCheck],
    ['write', t.write], ['checkpoint', t.checkpoint], ['error policy', t.errorPolicy],
  ] as const;
  const total = steps.reduce((sum, [, v]) => sum + v, 0);
  log(`profile ${label}: ${t.rows} rows in ${t.batches} batches, ${(total / 1000).toFixed(2)} s → ${Math.round(t.rows / (total / 1000))} rows/s (one chunk, one process)`);
  for (const [name, v] of steps) {
    log(`    ${name.padEnd(13)} ${ms(v)}  ${(v / Math.max(1, t.batches)).toFixed(1).padStart(7)} ms/batch  ${((100 * v) / total).toFixed(1).padStart(5)} %`);
  }
  log(`    write statements ${t.writeStatements} (${(t.writeStatements / Math.max(1, t.batches)).toFixed(1)}/batch), rows refused at write ${t.writeFailures}, batches whose plain insert was refused ${t.insertsRefused} (read again: ${t.reread.toFixed(0)} ms)`);
}

export async function profileChunk(actor: Actor, mappingId: string, label: string, range: { lower: number; upper: number }, batchRows: number): Promise<void> {
  const mapping = await prisma().mapping.findUniqueOrThrow({ where: { id: mappingId }, select: { latestVersion: true } });
  const version = await prisma().mappingVersion.findUniqueOrThrow({ where: { mappingId_version: { mappingId, version: mapping.latestVersion } }, select: { id: true } });
  // A job and chunk rows of their own (never enqueued), so checkpoints write real rows.
  const job = await prisma().job.create({
    data: { kind: 'migration', status: 'running', mappingId, mappingVersionId: version.id, options: { batchRows }, createdById: actor.id },
    select: { id: true },
  });
  try {
    const ctx = await loadJobContext(job.id);
    if (!ctx) throw new Error('profile job vanished');
    const { spec } = ctx;
    log(`profile ${label}: ${spec.source.key[0]} in [${range.lower}, ${range.upper}), batches of ${batchRows}`);
    const pass = async (seq: number, label?: string) => {
      await resetTarget();
      await prisma().errorRow.deleteMany({ where: { jobId: job.id } });
      const chunk = await prisma().chunk.create({ data: { jobId: job.id, seq, lowerKey: [range.lower], upperKey: [range.upper] }, select: { id: true } });
      const lease = await claimUnit(chunkStore, job.id, chunk.id, 'bench-profile', 30_000);
      if (typeof lease === 'string') throw new Error(`could not lease the profile chunk (${lease})`);
      const times = emptyStepTimes();
      const copyBatch = makeBatchCopier(ctx, chunk.id, { ...lease, cursor: null }, times);
      const iterator = ctx.source.readRangeArrays(chunkReadRequest(ctx, lease))[Symbol.asyncIterator]();
      for (;;) {
        const mark = performance.now();
        const next = await iterator.next();
        times.read += performance.now() - mark;
        if (next.done) break;
        const rows = next.value;
        if (rows.length > 0) await copyBatch(rows);
      }
      if (label) report(label, times);
    };
    await pass(0); // warm-up: caches, JIT, connections
    await pass(1, `${label}: into an empty target`);
  } finally {
    await prisma().job.delete({ where: { id: job.id } }).catch(() => undefined);
    await closeCachedConnectors();
  }
}
