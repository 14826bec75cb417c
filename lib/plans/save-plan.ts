import type { Actor } from '../auth/roles';
import { recordAudit } from '../audit/record-audit';
import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import type { SavePlanRequest } from '../schemas/plan';

async function assertMappingsUsable(mappingIds: string[]): Promise<void> {
  const found = await prisma().mapping.findMany({ where: { id: { in: mappingIds } }, select: { id: true, archivedAt: true, name: true } });
  const byId = new Map(found.map((m) => [m.id, m]));
  const issues = mappingIds.flatMap((id, index) => {
    const mapping = byId.get(id);
    if (!mapping) return [{ path: `body.mappingIds.${index}`, message: 'no such mapping' }];
    if (mapping.archivedAt) return [{ path: `body.mappingIds.${index}`, message: `"${mapping.name}" is archived` }];
    return [];
  });
  if (issues.length > 0) throw new AppError('validation_failed', `Invalid body: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues);
}

async function assertNameFree(name: string, planId: string | null): Promise<void> {
  const clash = await prisma().plan.findUnique({ where: { name }, select: { id: true } });
  if (clash && clash.id !== planId) throw new AppError('conflict', `A plan named "${name}" exists`, [{ path: 'body.name', message: 'is taken' }]);
}

/** Two saves racing for one name: the second is told, as the check before would have. */
const nameTaken = (name: string) => (error: unknown): never => {
  if ((error as { code?: string }).code === 'P2002') throw new AppError('conflict', `A plan named "${name}" exists`, [{ path: 'body.name', message: 'is taken' }]);
  throw error;
};

/** Creates a plan; its order is computed from the mappings whenever it is shown or run. */
export async function createPlan(actor: Actor, request: SavePlanRequest): Promise<{ id: string; name: string }> {
  await assertNameFree(request.name, null);
  await assertMappingsUsable(request.mappingIds);
  const plan = await prisma()
    .plan.create({
      data: { name: request.name, createdById: actor.id, members: { create: request.mappingIds.map((mappingId) => ({ mappingId })) } },
      select: { id: true, name: true },
    })
    .catch(nameTaken(request.name));
  await recordAudit(actor, 'plan.create', 'plan', plan.id, null, { name: request.name, mappings: request.mappingIds });
  return plan;
}

/** Renames a plan or changes its mappings; a run in progress keeps the steps it started with. */
export async function updatePlan(actor: Actor, planId: string, request: SavePlanRequest): Promise<{ id: string; name: string }> {
  const before = await prisma().plan.findUnique({ where: { id: planId }, select: { name: true, members: { select: { mappingId: true } } } });
  if (!before) throw notFound('Plan');
  await assertNameFree(request.name, planId);
  await assertMappingsUsable(request.mappingIds);
  const plan = await prisma()
    .$transaction(async (tx) => {
      await tx.planMember.deleteMany({ where: { planId } });
      return tx.plan.update({
        where: { id: planId },
        data: { name: request.name, members: { create: request.mappingIds.map((mappingId) => ({ mappingId })) } },
        select: { id: true, name: true },
      });
    })
    .catch(nameTaken(request.name));
  await recordAudit(actor, 'plan.update', 'plan', planId, { name: before.name, mappings: before.members.map((m) => m.mappingId) }, { name: request.name, mappings: request.mappingIds });
  return plan;
}

/** Deletes a plan and its run history; its migrations, error rows and id maps stay with their mappings. */
export async function deletePlan(actor: Actor, planId: string): Promise<void> {
  const plan = await prisma().plan.findUnique({ where: { id: planId }, select: { name: true, runs: { where: { status: { in: ['running', 'paused'] } }, select: { id: true } } } });
  if (!plan) throw notFound('Plan');
  if (plan.runs.length > 0) throw new AppError('conflict', 'The plan has a run in progress: cancel it first');
  await prisma().plan.delete({ where: { id: planId } });
  await recordAudit(actor, 'plan.delete', 'plan', planId, { name: plan.name }, null);
}
