import { prisma } from '../db/client';
import { correctionNotes, type CorrectionNote } from '../corrections/correction-notes';
import { keyText } from '../engine/key-text';
import { notFound } from '../errors';
import type { KeyTuple } from '../connectors/connector';
import type { ConsistencyDiffView, DiffKindName, DiffQuery, FieldDifference } from '../schemas/consistency';
import { diffSelect, diffWhere, type DiffRow } from './diff-query';

/** A difference as listed: a corrected key says by whom and when (it was compared with the correction). */
export interface ListedDiff extends ConsistencyDiffView {
  correction: CorrectionNote | null;
}

export interface DiffPage {
  diffs: ListedDiff[];
  next: number | null;
  /**
   * On the first page: the keys this run compared with an analyst's correction instead of
   * the source row (the ones the key search matches), whether they differ or not.
   */
  corrections?: { total: number; rows: CorrectionNote[] };
}

/** Corrected keys listed on a first page at most; the drill-down shows these. */
const CORRECTIONS_SHOWN = 50;

const listSelect = { ...diffSelect, sourceKey: true } as const;

async function toViews(rows: (DiffRow & { sourceKey: unknown })[], corrections: Map<string, CorrectionNote>): Promise<ListedDiff[]> {
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
    correction: r.sourceKey ? (corrections.get(keyText(r.sourceKey as KeyTuple)) ?? null) : null,
  }));
}

/**
 * One page of a run's differences (keyset paging by id; at most 1,000 per request). Keys
 * an analyst corrected (made before the run ended) carry who corrected them and when.
 */
export async function listDiffs(reportId: string, query: DiffQuery): Promise<DiffPage> {
  const report = await prisma().consistencyReport.findUnique({ where: { id: reportId }, select: { mappingId: true, finishedAt: true } });
  if (!report) throw notFound('Consistency report');
  const rows = await prisma().consistencyDiff.findMany({
    where: { ...diffWhere(reportId, query), ...(query.after !== undefined ? { id: { gt: query.after } } : {}) },
    orderBy: { id: 'asc' },
    take: query.take + 1,
    select: listSelect,
  });
  const page = rows.slice(0, query.take);
  const madeBy = report.finishedAt ?? new Date();
  const keyTexts = [...new Set(page.flatMap((r) => (r.sourceKey ? [keyText(r.sourceKey as KeyTuple)] : [])))];
  const [ofPage, listed] = await Promise.all([
    correctionNotes({ mappingId: report.mappingId, madeBy, keyTexts, take: keyTexts.length }),
    query.after === undefined ? correctionNotes({ mappingId: report.mappingId, madeBy, keyContains: query.key, take: CORRECTIONS_SHOWN }) : null,
  ]);
  return {
    diffs: await toViews(page, new Map(ofPage.rows.map((n) => [n.sourceKeyText, n]))),
    next: rows.length > query.take ? page[page.length - 1].id : null,
    ...(listed ? { corrections: listed } : {}),
  };
}
