import type { Actor } from '../auth/roles';
import { recordAudit } from '../audit/record-audit';
import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { cancelJob, pauseJob, resumeJob } from '../jobs/control-job';
import { isFinal } from '../jobs/job-state';
import type { PlanRunAction } from '../schemas/plan';
import { advancePlanRun } from './advance-plan-run';

const allowed: Record<PlanRunAction, readonly string[]> = {
  pause: ['running'],
  resume: ['paused'],
  cancel: ['running', 'paused'],
};

/**
 * Pause, resume or cancel a whole plan run: the run's state moves first (so no new step
 * starts), then every migration of the run follows with the job controls themselves
 * (running batches finish and checkpoint). A migration a control cannot move right now
 * (queued, not yet planning) is caught up by the next advance.
 */
export async function controlPlanRun(actor: Actor, runId: string, action: PlanRunAction): Promise<{ status: string }> {
  const run = await prisma().planRun.findUnique({ where: { id: runId }, select: { status: true, planId: true } });
  if (!run) throw notFound('Plan run');
  if (!allowed[action].includes(run.status)) throw new AppError('illegal_transition', `Cannot ${action} a plan run that is ${run.status.replace(/_/g, ' ')}`);
  const status = action === 'pause' ? 'paused' : action === 'resume' ? 'running' : 'cancelled';
  const moved = await prisma().planRun.updateMany({
    where: { id: runId, status: run.status },
    data: { status, ...(action === 'cancel' ? { finishedAt: new Date(), stopReason: `cancelled by ${actor.email}` } : {}) },
  });
  if (moved.count !== 1) return controlPlanRun(actor, runId, action);
  await followRunControl(actor, runId, action);
  await recordAudit(actor, `plan.${action}`, 'plan', run.planId, { run: runId, status: run.status }, { run: runId, status });
  if (action === 'resume') await advancePlanRun(runId);
  return { status };
}

/** The run's migrations follow its state (also called by advance for a paused run's late starters). */
export async function followRunControl(actor: Actor, runId: string, action: PlanRunAction): Promise<void> {
  const jobs = await prisma().job.findMany({ where: { planRunId: runId }, select: { id: true, status: true } });
  for (const job of jobs) {
    if (isFinal(job.status)) continue;
    const canMove =
      action === 'pause' ? job.status === 'running' || job.status === 'planning' : action === 'resume' ? job.status === 'paused' : job.status !== 'cancelling';
    if (!canMove) continue;
    try {
      if (action === 'pause') await pauseJob(actor, job.id);
      else if (action === 'resume') await resumeJob(actor, job.id);
      else await cancelJob(actor, job.id);
    } catch (error) {
      // The job moved on its own meanwhile (it completed, or another admin acted).
      if (!(error instanceof AppError)) throw error;
    }
  }
}
