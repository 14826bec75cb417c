import { prisma, type Prisma } from '../db/client';
import { notFound } from '../errors';
import type { DiffQuery } from '../schemas/consistency';

/** The columns of a stored difference that listing and export read. */
export const diffSelect = {
  id: true,
  kind: true,
  key: true,
  keyText: true,
  fields: true,
  sourceRow: true,
  targetRow: true,
  errorRowId: true,
} as const;

export type DiffRow = Prisma.ConsistencyDiffGetPayload<{ select: typeof diffSelect }>;

export async function assertReportExists(reportId: string): Promise<void> {
  const report = await prisma().consistencyReport.findUnique({ where: { id: reportId }, select: { id: true } });
  if (!report) throw notFound('Consistency report');
}

/** A run's differences, optionally of one kind or with a key containing some text. */
export const diffWhere = (reportId: string, query: Pick<DiffQuery, 'kind' | 'key'>): Prisma.ConsistencyDiffWhereInput => ({
  reportId,
  ...(query.kind ? { kind: query.kind } : {}),
  ...(query.key ? { keyText: { contains: query.key } } : {}),
});
