import { prisma } from '../db/client';
import type { ConsistencyDiffView, DiffKindName, DiffQuery, FieldDifference } from '../schemas/consistency';
import { assertReportExists, diffSelect, diffWhere, type DiffRow } from './diff-query';

async function toViews(rows: DiffRow[]): Promise<ConsistencyDiffView[]> {
  const ids = rows.map((r) => r.errorRowId).filter((id): id is number => id !== null);
  const errorRows = ids.length
    ? await prisma().errorRow.findMany({ where: { id: { in: ids } }, select: { id: true, jobId: true, sourceKeyText: true, code: true, message: true } })
    : [];
  const byId = new Map(errorRows.map((e) => [e.id, e]));
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as DiffKindName,
    key: r.key as unknown[],
    keyText: r.keyText,
    fields: (r.fields as FieldDifference[] | null) ?? null,
    sourceRow: (r.sourceRow as Record<string, unknown> | null) ?? null,
    targetRow: (r.targetRow as Record<string, unknown> | null) ?? null,
    errorRow: r.errorRowId !== null ? (byId.get(r.errorRowId) ?? null) : null,
  }));
}

/** One page of a run's differences (keyset paging by id; at most 1,000 per request). */
export async function listDiffs(reportId: string, query: DiffQuery): Promise<{ diffs: ConsistencyDiffView[]; next: number | null }> {
  await assertReportExists(reportId);
  const rows = await prisma().consistencyDiff.findMany({
    where: { ...diffWhere(reportId, query), ...(query.after !== undefined ? { id: { gt: query.after } } : {}) },
    orderBy: { id: 'asc' },
    take: query.take + 1,
    select: diffSelect,
  });
  const page = rows.slice(0, query.take);
  return { diffs: await toViews(page), next: rows.length > query.take ? page[page.length - 1].id : null };
}
