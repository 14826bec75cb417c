import type { KeyTuple } from '@/lib/connectors/connector';
import { prisma, type Prisma } from '@/lib/db/client';
import { loadJobContext } from '@/lib/engine/load-job-context';
import { recordEvent } from '@/lib/jobs/record-event';
import { enqueueChunks } from '@/lib/engine/enqueue-chunks';
import { planSplitPoints } from '@/lib/engine/plan-split-points';
import { jobPayloads } from '@/lib/queue/job-names';
import type { ProcessorContext } from '../registry';
import { claimPlanning, failUnlessMappingFits } from './planning';

/**
 * Splits the source table into key ranges and enqueues one copy job per range.
 * Re-entrant: a planner that crashed after creating chunks just re-enqueues them.
 */
export async function planMigration({ job }: ProcessorContext) {
  const { jobId } = jobPayloads['plan-migration'].parse(job.data);
  if (!(await claimPlanning(jobId))) return { skipped: 'job is not waiting to be planned' };

  const existing = await prisma().chunk.findMany({ where: { jobId }, select: { id: true, status: true } });
  if (existing.length === 0) {
    const ctx = await loadJobContext(jobId);
    if (!ctx) return { skipped: 'job deleted' };
    await failUnlessMappingFits(jobId, ctx);
    if (ctx.options.fullReload) {
      await ctx.target.truncate(ctx.spec.target.table);
      await recordEvent(jobId, 'full_reload', `Emptied target table ${ctx.spec.target.table} (full reload was requested)`, undefined, 'warn');
    }
    const { points, rows: estimated, method } = await planSplitPoints(ctx.source, ctx.sourceTable, ctx.spec.source.key, ctx.options.chunkRows);
    const bounds: (KeyTuple | null)[] = [null, ...points, null];
    const chunks = bounds.slice(0, -1).map((lower, seq) => ({
      jobId,
      seq,
      lowerKey: (lower ?? undefined) as Prisma.InputJsonValue | undefined,
      upperKey: (bounds[seq + 1] ?? undefined) as Prisma.InputJsonValue | undefined,
    }));
    await prisma().$transaction([
      prisma().chunk.createMany({ data: chunks }),
      prisma().job.update({ where: { id: jobId }, data: { rowsEstimated: estimated } }),
    ]);
    await recordEvent(jobId, 'planned', `Planned ${chunks.length} chunk(s) over about ${estimated.toLocaleString('en')} source rows (split by ${method})`, {
      chunks: chunks.length,
      estimated,
      method,
    });
  }
  const pending = await prisma().chunk.findMany({ where: { jobId, status: { in: ['pending', 'running'] } }, select: { id: true }, orderBy: { seq: 'asc' } });
  // Running before enqueueing: a chunk job that starts at once must find the job running.
  await prisma().job.updateMany({ where: { id: jobId, status: 'planning' }, data: { status: 'running' } });
  await enqueueChunks(jobId, pending.map((c) => c.id));
  await recordEvent(jobId, 'started', `Copying with ${pending.length} chunk job(s) across the workers`);
  return { chunks: pending.length };
}
