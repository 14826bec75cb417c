import { prisma, type Prisma } from '../db/client';
import type { JobKindDefinition } from '../jobs/kinds/job-kind';
import { onSide } from '../jobs/classify-job-failure';
import { claimPlanning, failUnlessMappingFits } from '../jobs/planner-steps';
import { recordEvent } from '../jobs/record-event';
import { enqueueUnits } from '../jobs/units/enqueue-units';
import { spansBetween } from '../jobs/units/spans-between';
import { loadJobContext } from './load-job-context';
import { planSplitPoints } from './plan-split-points';

/**
 * Splits the source table into key ranges and enqueues one copy job per range.
 * Re-entrant: a planner that crashed after creating chunks just re-enqueues them.
 */
export async function planMigration(definition: Pick<JobKindDefinition, 'units'>, jobId: string) {
  if (!(await claimPlanning(jobId))) return { skipped: 'job is not waiting to be planned' };

  const existing = await prisma().chunk.findMany({ where: { jobId }, select: { id: true, status: true } });
  if (existing.length === 0) {
    const ctx = await loadJobContext(jobId);
    if (!ctx) return { skipped: 'job deleted' };
    await failUnlessMappingFits(jobId, ctx);
    if (ctx.options.fullReload) {
      await onSide('target', ctx.target.truncate(ctx.spec.target.table));
      await recordEvent(jobId, 'full_reload', `Emptied target table ${ctx.spec.target.table} (full reload was requested)`, undefined, 'warn');
    }
    const { points, rows: estimated, rowsExact, method } = await planSplitPoints(ctx.source, ctx.sourceTable, ctx.spec.source.key, ctx.options.chunkRows, ctx.spec.source.filter);
    const chunks = spansBetween(points).map(({ seq, lowerKey, upperKey }) => ({
      jobId,
      seq,
      lowerKey: (lowerKey ?? undefined) as Prisma.InputJsonValue | undefined,
      upperKey: (upperKey ?? undefined) as Prisma.InputJsonValue | undefined,
    }));
    await prisma().$transaction([
      prisma().chunk.createMany({ data: chunks }),
      prisma().job.update({ where: { id: jobId }, data: { rowsEstimated: estimated, rowsEstimateExact: rowsExact, plannedAt: new Date() } }),
    ]);
    const over = rowsExact ? `${estimated.toLocaleString('en')} source rows (counted)` : `about ${estimated.toLocaleString('en')} source rows (estimated)`;
    await recordEvent(jobId, 'planned', `Planned ${chunks.length} chunk(s) over ${over}, split by ${method}`, {
      rowsExact,
      chunks: chunks.length,
      estimated,
      method,
    });
  }
  const pending = await prisma().chunk.findMany({ where: { jobId, status: { in: ['pending', 'running'] } }, select: { id: true }, orderBy: { seq: 'asc' } });
  // Running before enqueueing: a chunk job that starts at once must find the job running.
  // (Queued too: an admin who paused and resumed meanwhile sent the job back to be planned.)
  await prisma().job.updateMany({ where: { id: jobId, status: { in: ['planning', 'queued'] } }, data: { status: 'running' } });
  await enqueueUnits(definition, jobId, pending.map((c) => c.id));
  await recordEvent(jobId, 'started', `Copying with ${pending.length} chunk job(s) across the workers`);
  return { chunks: pending.length };
}
