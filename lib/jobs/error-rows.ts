import { z } from 'zod';
import { prisma, type Prisma } from '../db/client';
import { notFound } from '../errors';
import { jobKindOf } from './kinds/job-kinds';

export const errorRowFilterSchema = z.object({
  stage: z.enum(['read', 'transform', 'validate', 'write']).optional(),
  field: z.string().max(128).optional(),
  code: z.string().max(64).optional(),
  /** Substring of the source key, e.g. 42 or ORD-00017. */
  key: z.string().max(200).optional(),
  includeResolved: z.coerce.boolean().optional(),
  cursor: z.coerce.number().int().positive().optional(),
  take: z.coerce.number().int().min(1).max(500).default(100),
});
export type ErrorRowFilter = z.infer<typeof errorRowFilterSchema>;

/**
 * Which error rows a job's page lists. A job that owns error rows lists its own. A job that
 * copies rows without owning any (a replay) works on its parent's, and lists its own
 * outcomes there: the rows it landed and the rows that failed again with its reason.
 * Other jobs (a verification) have none.
 */
async function scopeOf(jobId: string): Promise<{ where: Prisma.ErrorRowWhereInput; outcomes: boolean }> {
  const job = await prisma().job.findUnique({ where: { id: jobId }, select: { kind: true, parentJobId: true } });
  if (!job) throw notFound('Job');
  const definition = jobKindOf(job.kind);
  if (definition.ownsErrorRows || !definition.copiesRows || !job.parentJobId) return { where: { jobId }, outcomes: false };
  return {
    where: { jobId: job.parentJobId, OR: [{ resolvedByJobId: jobId }, { lastReplayJobId: jobId, resolvedAt: null }] },
    outcomes: true,
  };
}

function whereOf(scope: { where: Prisma.ErrorRowWhereInput; outcomes: boolean }, filter: ErrorRowFilter): Prisma.ErrorRowWhereInput {
  return {
    AND: [
      scope.where,
      {
        stage: filter.stage,
        field: filter.field,
        code: filter.code,
        sourceKeyText: filter.key ? { contains: filter.key } : undefined,
        // A replay's outcomes are both kinds of row: the ones it landed are half of them.
        resolvedAt: filter.includeResolved || scope.outcomes ? undefined : null,
      },
    ],
  };
}

const errorRowSelect = {
  id: true,
  sourceKey: true,
  sourceRow: true,
  stage: true,
  field: true,
  code: true,
  message: true,
  createdAt: true,
  resolvedAt: true,
  resolvedByJobId: true,
  editedAt: true,
  editedByEmail: true,
  mappingVersionId: true,
} as const;

type SelectedErrorRow = Prisma.ErrorRowGetPayload<{ select: typeof errorRowSelect }>;

/**
 * The rows with the number of the mapping version each last failed with (error rows keep
 * only the version's id: see the schema), looked up once per page.
 */
async function withVersionNumbers(rows: SelectedErrorRow[]) {
  const ids = [...new Set(rows.map((r) => r.mappingVersionId))];
  const versions = ids.length ? await prisma().mappingVersion.findMany({ where: { id: { in: ids } }, select: { id: true, version: true } }) : [];
  const numberOf = new Map(versions.map((v) => [v.id, v.version]));
  return rows.map(({ mappingVersionId, ...r }) => ({ ...r, mappingVersion: numberOf.get(mappingVersionId) ?? null }));
}

/** One page of a job's error rows (see scopeOf for which), with the total and the facets of those still failing. */
export async function listErrorRows(jobId: string, filter: ErrorRowFilter) {
  const scope = await scopeOf(jobId);
  const where = whereOf(scope, filter);
  const [rows, total, facets] = await Promise.all([
    prisma().errorRow.findMany({
      where,
      orderBy: { id: 'asc' },
      take: filter.take,
      ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
      select: errorRowSelect,
    }),
    prisma().errorRow.count({ where }),
    prisma().errorRow.groupBy({ by: ['stage', 'field', 'code'], where: { AND: [scope.where, { resolvedAt: null }] }, _count: { _all: true } }),
  ]);
  return {
    rows: await withVersionNumbers(rows),
    total,
    facets: facets.map((f) => ({ stage: f.stage, field: f.field, code: f.code, count: f._count._all })),
    nextCursor: rows.length === filter.take ? rows[rows.length - 1].id : null,
  };
}

/** All matching error rows, in pages, for the CSV download (bounded memory). */
export async function* iterateErrorRows(jobId: string, filter: ErrorRowFilter) {
  const where = whereOf(await scopeOf(jobId), filter);
  let cursor: number | undefined;
  for (;;) {
    const page = await prisma().errorRow.findMany({
      where,
      orderBy: { id: 'asc' },
      take: 1000,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: errorRowSelect,
    });
    if (page.length === 0) return;
    yield* await withVersionNumbers(page);
    cursor = page[page.length - 1].id;
  }
}

export async function listJobEvents(jobId: string, afterId?: number) {
  return prisma().jobEvent.findMany({
    where: { jobId, ...(afterId ? { id: { gt: afterId } } : {}) },
    orderBy: { id: 'desc' },
    take: 200,
    select: { id: true, at: true, level: true, type: true, message: true },
  });
}
