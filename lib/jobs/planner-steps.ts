import { UnrecoverableError } from 'bullmq';
import { prisma } from '../db/client';
import type { JobContext } from '../engine/load-job-context';
import { checkMapping } from '../mapping/check-mapping';
import { recordEvent } from './record-event';

/**
 * Steps every planner shares. Moves a queued job to planning; false when it is not
 * waiting to be planned (a second delivery, or paused or cancelled meanwhile: a paused
 * job's planner stops here, and resume plans again).
 */
export async function claimPlanning(jobId: string): Promise<boolean> {
  // startedAt is the first attempt's: a retry does not restart the clock.
  const claimed = await prisma().$executeRaw`
    UPDATE jobs SET status = 'planning', started_at = coalesce(started_at, now())
     WHERE id = ${jobId} AND status::text IN ('queued', 'planning')`;
  return claimed > 0;
}

/**
 * The tables may have changed since the mapping was saved: a mapping that no longer fits
 * fails the job with every reason, and is not retried.
 */
export async function failUnlessMappingFits(jobId: string, ctx: Pick<JobContext, 'spec' | 'sourceTable' | 'targetTable'>): Promise<void> {
  const problems = checkMapping(ctx.spec, ctx.sourceTable, ctx.targetTable).filter((i) => i.severity === 'error');
  if (problems.length === 0) return;
  const reason = `The mapping no longer fits the tables: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`;
  await prisma().job.update({ where: { id: jobId }, data: { status: 'failed', stopReason: reason, finishedAt: new Date() } });
  await recordEvent(jobId, 'failed', reason, undefined, 'error');
  throw new UnrecoverableError(reason);
}
