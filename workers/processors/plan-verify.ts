import { UnrecoverableError } from 'bullmq';
import { prisma, type Prisma } from '@/lib/db/client';
import { collectNullKeyRows, sourceRanges, targetRanges } from '@/lib/consistency/plan-ranges';
import { loadVerifyContext, type VerifyContext } from '@/lib/consistency/verify-context';
import { checkMapping } from '@/lib/mapping/check-mapping';
import { isFinal } from '@/lib/jobs/job-state';
import { recordEvent } from '@/lib/jobs/record-event';
import { enqueue } from '@/lib/queue/enqueue';
import { jobPayloads } from '@/lib/queue/job-names';
import type { ProcessorContext } from '../registry';

async function failJob(jobId: string, reason: string): Promise<never> {
  await prisma().job.updateMany({ where: { id: jobId, status: { in: ['queued', 'planning', 'running'] } }, data: { status: 'failed', stopReason: reason, finishedAt: new Date() } });
  await recordEvent(jobId, 'failed', reason, undefined, 'error');
  throw new UnrecoverableError(reason);
}

async function planSourcePhase(ctx: VerifyContext): Promise<void> {
  const problems = checkMapping(ctx.spec, ctx.sourceTable, ctx.targetTable).filter((i) => i.severity === 'error');
  if (problems.length > 0) {
    await failJob(ctx.jobId, `The mapping no longer fits the tables: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
  const [nullKeys, ranges] = await Promise.all([collectNullKeyRows(ctx), sourceRanges(ctx)]);
  const { plan } = ctx;
  await prisma().$transaction([
    prisma().consistencyDiff.deleteMany({ where: { reportId: ctx.reportId, kind: 'null_key' } }),
    prisma().consistencyDiff.createMany({ data: nullKeys.samples }),
    prisma().consistencyRange.createMany({ data: ranges, skipDuplicates: true }),
    prisma().consistencyReport.update({
      where: { id: ctx.reportId },
      data: {
        strategy: plan.strategy,
        sourceHashing: plan.strategy === 'hash' ? plan.sourceHashing : 'node',
        targetHashing: plan.strategy === 'hash' ? plan.targetHashing : 'node',
        nullKeys: nullKeys.count,
        startedAt: new Date(),
        config: { ...ctx.config, notes: plan.notes } as unknown as Prisma.InputJsonValue,
      },
    }),
    prisma().job.update({ where: { id: ctx.jobId }, data: { rowsEstimated: ctx.sourceTable.estimatedRows } }),
  ]);
  const how = plan.strategy === 'hash' ? `hash strategy (source hashed in ${plan.sourceHashing}, target in ${plan.targetHashing})` : 'lookup strategy';
  await recordEvent(ctx.jobId, 'planned', `Planned ${ranges.length} range(s), ${how}${nullKeys.count ? `; ${nullKeys.count} source row(s) have a NULL key` : ''}`, {
    ranges: ranges.length,
    strategy: plan.strategy,
    notes: plan.notes,
  });
}

/**
 * Plans a verify job: key ranges over the source (and, once every source range of the
 * lookup strategy is done, over the target), then one verify-range job per range.
 * Re-entrant: ranges that exist are only enqueued again (the range id is the BullMQ id).
 */
export async function planVerify({ job }: ProcessorContext) {
  const { jobId } = jobPayloads['plan-verify'].parse(job.data);
  const state = await prisma().job.findUnique({ where: { id: jobId }, select: { status: true, kind: true } });
  if (!state || state.kind !== 'verify') return { skipped: 'not a verify job' };
  if (isFinal(state.status) || state.status === 'cancelling') return { skipped: `job is ${state.status}` };
  const ctx = await loadVerifyContext(jobId);
  if (!ctx) return { skipped: 'job or report deleted' };

  try {
    const existing = await prisma().consistencyRange.groupBy({ by: ['phase', 'status'], where: { reportId: ctx.reportId }, _count: { _all: true } });
    const has = (phase: string, status?: string) => existing.some((g) => g.phase === phase && (!status || g.status === status));
    if (!has('source')) {
      await prisma().job.updateMany({ where: { id: jobId, status: { in: ['queued', 'planning'] } }, data: { status: 'planning', startedAt: new Date() } });
      await planSourcePhase(ctx);
    } else if (ctx.plan.strategy === 'lookup' && !has('target') && !has('source', 'pending') && !has('source', 'running')) {
      const ranges = await targetRanges(ctx);
      await prisma().consistencyRange.createMany({ data: ranges, skipDuplicates: true });
      await recordEvent(jobId, 'planned_target', `Every source row was looked up; scanning ${ranges.length} target range(s) for rows no source row produced`);
    }
  } catch (error) {
    if (error instanceof UnrecoverableError) throw error;
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await failJob(jobId, `Planning failed: ${(error as Error).message}`);
    throw error;
  }

  const pending = await prisma().consistencyRange.findMany({
    where: { reportId: ctx.reportId, status: { in: ['pending', 'running'] } },
    select: { id: true },
    orderBy: [{ phase: 'asc' }, { seq: 'asc' }],
  });
  // Running before enqueueing: a range job that starts at once must find the job running.
  await prisma().job.updateMany({ where: { id: jobId, status: { in: ['queued', 'planning'] } }, data: { status: 'running' } });
  for (const range of pending) await enqueue('verify-range', { jobId, rangeId: range.id }, range.id);
  return { ranges: pending.length };
}
