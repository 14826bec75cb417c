import { prisma, type Prisma } from '../db/client';

/** "Corrected by … at …": what a verification's drill-down says about a corrected key. */
export interface CorrectionNote {
  sourceKey: unknown[];
  sourceKeyText: string;
  correctedByEmail: string | null;
  /** ISO 8601. */
  correctedAt: string;
  /** The error row whose replay landed the correction, and its job (whose page lists it). */
  errorRow: { id: number; jobId: string } | null;
}

export interface CorrectionNotesQuery {
  mappingId: string;
  /** Only corrections made by then (a verification compared with those). */
  madeBy: Date;
  /** Exactly these source key texts. */
  keyTexts?: string[];
  /** Source key text containing this. */
  keyContains?: string;
  take: number;
}

/** A mapping's corrections as notes, newest first, with how many match in all. */
export async function correctionNotes(query: CorrectionNotesQuery): Promise<{ total: number; rows: CorrectionNote[] }> {
  if (query.keyTexts?.length === 0) return { total: 0, rows: [] };
  const where: Prisma.RowCorrectionWhereInput = {
    mappingId: query.mappingId,
    correctedAt: { lte: query.madeBy },
    ...(query.keyTexts ? { sourceKeyText: { in: query.keyTexts } } : query.keyContains ? { sourceKeyText: { contains: query.keyContains } } : {}),
  };
  const [total, rows] = await Promise.all([
    prisma().rowCorrection.count({ where }),
    prisma().rowCorrection.findMany({
      where,
      orderBy: { correctedAt: 'desc' },
      take: query.take,
      select: { sourceKey: true, sourceKeyText: true, correctedByEmail: true, correctedAt: true, errorRowId: true },
    }),
  ]);
  const ids = rows.map((r) => r.errorRowId).filter((id): id is number => id !== null);
  const errorRows = ids.length ? await prisma().errorRow.findMany({ where: { id: { in: ids } }, select: { id: true, jobId: true } }) : [];
  const jobOf = new Map(errorRows.map((e) => [e.id, e.jobId]));
  return {
    total,
    rows: rows.map((r) => {
      const jobId = r.errorRowId !== null ? jobOf.get(r.errorRowId) : undefined;
      return {
        sourceKey: r.sourceKey as unknown[],
        sourceKeyText: r.sourceKeyText,
        correctedByEmail: r.correctedByEmail,
        correctedAt: r.correctedAt.toISOString(),
        errorRow: r.errorRowId !== null && jobId ? { id: r.errorRowId, jobId } : null,
      };
    }),
  };
}
