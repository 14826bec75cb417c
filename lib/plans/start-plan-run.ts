import type { Actor } from '../auth/roles';
import { recordAudit } from '../audit/record-audit';
import { prisma, type Prisma } from '../db/client';
import { AppError } from '../errors';
import type { StartPlanRunRequest } from '../schemas/plan';
import { advancePlanRun } from './advance-plan-run';
import { loadPlanGraph } from './load-plan-graph';
import { dependentsOf } from './plan-graph';

/**
 * Starts a run of a plan: the graph is computed now and frozen with the run (a later edit
 * of a mapping or the plan does not move a running plan), then every step whose parents
 * are done starts as a migration job. `rerun`: only those mappings and everything that
 * depends on them; their parents' id maps from earlier runs resolve the references.
 * Refused while another run of the plan is in progress, or when a cycle cannot be broken.
 */
export async function startPlanRun(actor: Actor, planId: string, request: StartPlanRunRequest): Promise<{ id: string }> {
  const plan = await loadPlanGraph(planId);
  const archived = plan.members.filter((m) => m.archived);
  if (archived.length > 0) throw new AppError('conflict', `The plan includes archived mappings: ${archived.map((m) => m.name).join(', ')}`);
  const blocking = plan.graph.cycles.filter((cycle) => cycle.blocking);
  if (blocking.length > 0) throw new AppError('conflict', blocking.map((cycle) => cycle.message).join('; '));
  const memberIds = new Set(plan.members.map((m) => m.mappingId));
  const issues = (request.rerun ?? []).flatMap((id, index) => (memberIds.has(id) ? [] : [{ path: `body.rerun.${index}`, message: 'is not a mapping of this plan' }]));
  if (issues.length > 0) throw new AppError('validation_failed', `Invalid body: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues);
  const scope = request.rerun ? dependentsOf(plan.graph, request.rerun) : null;

  const run = await prisma().$transaction(async (tx) => {
    // One run of a plan at a time: two runs would start the same mappings twice.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`plan:${planId}`}))`;
    const active = await tx.planRun.findFirst({ where: { planId, status: { in: ['running', 'paused'] } }, select: { id: true } });
    if (active) throw new AppError('conflict', 'The plan is already running: pause, resume or cancel that run');
    return tx.planRun.create({
      data: {
        planId,
        steps: plan.graph as unknown as Prisma.InputJsonValue,
        scope: scope === null ? undefined : (scope as Prisma.InputJsonValue),
        options: request.options as Prisma.InputJsonValue,
        createdById: actor.id,
      },
      select: { id: true },
    });
  });
  await recordAudit(actor, 'plan.run', 'plan', planId, null, { run: run.id, rerun: request.rerun ?? null, options: request.options });
  await advancePlanRun(run.id);
  return run;
}
