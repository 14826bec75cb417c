import { stringify } from 'csv-stringify/sync';
import { prisma, type Prisma } from '../db/client';
import { notFound } from '../errors';
import type { ConsistencyDiffView, DiffKindName, DiffQuery, FieldDifference } from '../schemas/consistency';

const diffSelect = {
  id: true,
  kind: true,
  key: true,
  keyText: true,
  fields: true,
  sourceRow: true,
  targetRow: true,
  errorRowId: true,
} as const;

type DiffRow = Prisma.ConsistencyDiffGetPayload<{ select: typeof diffSelect }>;

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

async function assertReport(reportId: string): Promise<void> {
  const report = await prisma().consistencyReport.findUnique({ where: { id: reportId }, select: { id: true } });
  if (!report) throw notFound('Consistency report');
}

const whereOf = (reportId: string, query: Pick<DiffQuery, 'kind' | 'key'>): Prisma.ConsistencyDiffWhereInput => ({
  reportId,
  ...(query.kind ? { kind: query.kind } : {}),
  ...(query.key ? { keyText: { contains: query.key } } : {}),
});

/** One page of a run's differences (keyset paging by id; at most 1,000 per request). */
export async function listDiffs(reportId: string, query: DiffQuery): Promise<{ diffs: ConsistencyDiffView[]; next: number | null }> {
  await assertReport(reportId);
  const rows = await prisma().consistencyDiff.findMany({
    where: { ...whereOf(reportId, query), ...(query.after !== undefined ? { id: { gt: query.after } } : {}) },
    orderBy: { id: 'asc' },
    take: query.take + 1,
    select: diffSelect,
  });
  const page = rows.slice(0, query.take);
  return { diffs: await toViews(page), next: rows.length > query.take ? page[page.length - 1].id : null };
}

const cell = (value: unknown) => (value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/**
 * All differences of a run as CSV, streamed page by page: one line per differing field
 * (so a spreadsheet filter by field works), one line per other difference.
 */
export async function* diffsCsv(reportId: string, filter: Pick<DiffQuery, 'kind' | 'key'> = {}): AsyncGenerator<string> {
  await assertReport(reportId);
  yield stringify([['kind', 'key', 'field', 'source_value', 'target_value', 'error_row_id', 'source_row', 'target_row']]);
  let after = 0;
  for (;;) {
    const rows = await prisma().consistencyDiff.findMany({
      where: { ...whereOf(reportId, filter), id: { gt: after } },
      orderBy: { id: 'asc' },
      take: 1000,
      select: diffSelect,
    });
    if (rows.length === 0) return;
    const lines: string[][] = [];
    for (const r of rows) {
      const base = [r.kind, r.keyText];
      const tail = [cell(r.errorRowId), cell(r.sourceRow), cell(r.targetRow)];
      const fields = (r.fields as FieldDifference[] | null) ?? [];
      if (fields.length === 0) lines.push([...base, '', '', '', ...tail]);
      for (const f of fields) lines.push([...base, f.field, cell(f.source), cell(f.target), ...tail]);
    }
    yield stringify(lines);
    after = rows[rows.length - 1].id;
  }
}
