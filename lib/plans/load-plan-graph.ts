import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { describeTable } from '../saved-connections/browse-schema';
import { mappingSpecSchema } from '../schemas/mapping-spec';
import { planGraph, type PlanGraphMember, type PlanSteps } from './plan-graph';

export interface LoadedPlan {
  id: string;
  name: string;
  members: { mappingId: string; name: string; sourceTable: string; targetTable: string; archived: boolean }[];
  graph: PlanSteps;
}

/**
 * A plan's mappings at their latest versions, with both sides' foreign keys read from the
 * databases, and the order they run in (plan-graph.ts). A table that cannot be described
 * (a database down) counts as having no foreign keys: the references still order the plan.
 */
export async function loadPlanGraph(planId: string): Promise<LoadedPlan> {
  const plan = await prisma().plan.findUnique({
    where: { id: planId },
    select: {
      id: true,
      name: true,
      members: {
        select: {
          mapping: {
            select: {
              id: true, name: true, archivedAt: true, sourceConnectionId: true, sourceTable: true, targetConnectionId: true, targetTable: true, latestVersion: true,
              versions: { orderBy: { version: 'desc' }, take: 1, select: { spec: true } },
            },
          },
        },
      },
    },
  });
  if (!plan) throw notFound('Plan');
  const describe = (connectionId: string, table: string) => describeTable(connectionId, table).catch(() => null);
  const members: PlanGraphMember[] = await Promise.all(
    plan.members.map(async ({ mapping }) => {
      const parsed = mappingSpecSchema.safeParse(mapping.versions[0]?.spec);
      if (!parsed.success) throw new AppError('conflict', `The latest version of mapping "${mapping.name}" cannot be read; save it again in the mapping editor`);
      const spec = parsed.data;
      const [source, target] = await Promise.all([describe(mapping.sourceConnectionId, mapping.sourceTable), describe(mapping.targetConnectionId, mapping.targetTable)]);
      return {
        mappingId: mapping.id,
        name: mapping.name,
        spec,
        sourceConnectionId: mapping.sourceConnectionId,
        targetConnectionId: mapping.targetConnectionId,
        sourceForeignKeys: source?.foreignKeys ?? [],
        targetForeignKeys: target?.foreignKeys ?? [],
        targetColumns: (target?.columns ?? []).map((c) => ({ name: c.name, nullable: c.nullable })),
      };
    }),
  );
  return {
    id: plan.id,
    name: plan.name,
    members: plan.members
      .map(({ mapping }) => ({ mappingId: mapping.id, name: mapping.name, sourceTable: mapping.sourceTable, targetTable: mapping.targetTable, archived: mapping.archivedAt !== null }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    graph: planGraph(members),
  };
}
