import { prisma } from '../db/client';
import { advancePlanRun } from './advance-plan-run';

/** After a migration settled: moves its plan run on, if it is a step of one. */
export async function advancePlanOfJob(jobId: string): Promise<void> {
  const job = await prisma().job.findUnique({ where: { id: jobId }, select: { planRunId: true } });
  if (job?.planRunId) await advancePlanRun(job.planRunId);
}

/** The sweeper's pass: every running or paused plan run, in case a settle's call was lost with its worker (or a step queued when the run paused has started since). */
export async function advanceRunningPlanRuns(): Promise<void> {
  const runs = await prisma().planRun.findMany({ where: { status: { in: ['running', 'paused'] } }, select: { id: true } });
  for (const run of runs) await advancePlanRun(run.id);
}
