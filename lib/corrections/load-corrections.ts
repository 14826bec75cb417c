import type { KeyTuple, Row } from '../connectors/connector';
import { prisma } from '../db/client';

/** An analyst's correction of one source row, kept for its mapping and source key (row_corrections). */
export interface RowCorrection {
  sourceKey: KeyTuple;
  /** keyText(sourceKey): the same text as error rows' keys. */
  sourceKeyText: string;
  /** The corrected source row, by source column. */
  sourceRow: Row;
  correctedByEmail: string | null;
  correctedAt: Date;
  /** The error row whose replay landed it. */
  errorRowId: number | null;
}

/** Whose corrections: a mapping, or the mapping of a version (what a job's context carries). */
export type CorrectionScope = { mappingId: string } | { mappingVersionId: string };

const correctionSelect = {
  sourceKey: true,
  sourceKeyText: true,
  sourceRow: true,
  correctedByEmail: true,
  correctedAt: true,
  errorRowId: true,
} as const;

/** The corrections of a mapping for these source key texts (one query), by key text. */
export async function loadCorrections(mappingId: string, keyTexts: string[]): Promise<Map<string, RowCorrection>> {
  if (keyTexts.length === 0) return new Map();
  const rows = await prisma().rowCorrection.findMany({ where: { mappingId, sourceKeyText: { in: keyTexts } }, select: correctionSelect });
  return new Map(rows.map((r) => [r.sourceKeyText, { ...r, sourceKey: r.sourceKey as KeyTuple, sourceRow: r.sourceRow as Row }]));
}

/**
 * The mapping id and the key texts of every correction it has: what a chunk or a verify
 * range loads once, so its batches look keys up in memory and read corrected rows only
 * for keys that have one. Corrections are made by hand, one row at a time: few per mapping.
 */
export async function loadCorrectedKeys(scope: CorrectionScope): Promise<{ mappingId: string | null; keyTexts: Set<string> }> {
  if ('mappingId' in scope) {
    const rows = await prisma().rowCorrection.findMany({ where: { mappingId: scope.mappingId }, select: { sourceKeyText: true } });
    return { mappingId: scope.mappingId, keyTexts: new Set(rows.map((r) => r.sourceKeyText)) };
  }
  // One round trip: the version's mapping and its corrections' keys (a version of a mapping without corrections gives one row of NULL).
  const rows = await prisma().$queryRaw<{ mapping_id: string; source_key_text: string | null }[]>`
    SELECT v.mapping_id, c.source_key_text
      FROM mapping_versions v LEFT JOIN row_corrections c ON c.mapping_id = v.mapping_id
     WHERE v.id = ${scope.mappingVersionId}`;
  return {
    mappingId: rows[0]?.mapping_id ?? null,
    keyTexts: new Set(rows.map((r) => r.source_key_text).filter((t): t is string => t !== null)),
  };
}
