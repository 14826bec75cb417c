import { z } from 'zod';
import { prisma, type Prisma } from '../db/client';

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

function whereOf(jobId: string, filter: ErrorRowFilter): Prisma.ErrorRowWhereInput {
  return {
    jobId,
    stage: filter.stage,
    field: filter.field,
    code: filter.code,
    sourceKeyText: filter.key ? { contains: filter.key } : undefined,
    resolvedAt: filter.includeResolved ? undefined : null,
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

export async function listErrorRows(jobId: string, filter: ErrorRowFilter) {
  const where = whereOf(jobId, filter);
  const [rows, total, facets] = await Promise.all([
    prisma().errorRow.findMany({
      where,
      orderBy: { id: 'asc' },
      take: filter.take,
      ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
      select: errorRowSelect,
    }),
    prisma().errorRow.count({ where }),
    prisma().errorRow.groupBy({ by: ['stage', 'field', 'code'], where: { jobId, resolvedAt: null }, _count: { _all: true } }),
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
  let cursor: number | undefined;
  for (;;) {
    const page = await prisma().errorRow.findMany({
      where: whereOf(jobId, filter),
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
