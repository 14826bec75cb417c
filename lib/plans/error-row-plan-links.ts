import { prisma } from '../db/client';
import { waitingChildrenCounts } from './replay-waiting-children';

/** What a plan adds to an error row on the job page. */
export interface ErrorRowPlanLinks {
  /** An orphan's parent error row (its parent record failed in the parent's migration). */
  parent: { id: number; jobId: string; mappingName: string; sourceKey: unknown[] } | null;
  /** Open rows of child migrations that wait for this row to land. */
  waitingChildren: number;
}

/** The plan links of a page of error rows, by row id: two queries for the page, whatever its size. */
export async function errorRowPlanLinks(rowIds: number[]): Promise<Map<number, ErrorRowPlanLinks>> {
  if (rowIds.length === 0) return new Map();
  const rows = await prisma().errorRow.findMany({ where: { id: { in: rowIds } }, select: { id: true, parentErrorRowId: true } });
  const parentIds = [...new Set(rows.flatMap((r) => (r.parentErrorRowId === null ? [] : [r.parentErrorRowId])))];
  const [parents, waiting] = await Promise.all([
    prisma().errorRow.findMany({
      where: { id: { in: parentIds } },
      select: { id: true, jobId: true, sourceKey: true, job: { select: { mapping: { select: { name: true } } } } },
    }),
    waitingChildrenCounts(rowIds),
  ]);
  const parentById = new Map(parents.map((p) => [p.id, { id: p.id, jobId: p.jobId, mappingName: p.job.mapping.name, sourceKey: Array.isArray(p.sourceKey) ? p.sourceKey : [p.sourceKey] }]));
  return new Map(
    rows.map((r) => [r.id, { parent: r.parentErrorRowId === null ? null : (parentById.get(r.parentErrorRowId) ?? null), waitingChildren: waiting.get(r.id) ?? 0 }]),
  );
}

/** The rows with their plan links (none: no parent, nothing waiting). */
export async function withPlanLinks<R extends { id: number }>(rows: R[]): Promise<(R & ErrorRowPlanLinks)[]> {
  const links = await errorRowPlanLinks(rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, ...(links.get(r.id) ?? { parent: null, waitingChildren: 0 }) }));
}
