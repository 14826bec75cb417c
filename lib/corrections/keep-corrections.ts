import type { Prisma } from '../db/client';
import type { StoredErrorRow } from '../engine/replay-error-rows';
import { keyText } from '../engine/key-text';
import { loadCorrections } from './load-corrections';

/**
 * Keeps the edited rows among these landed error rows as their keys' corrections, in the
 * transaction that marks them landed. A correction is what the analyst edited and the
 * target accepted: an edit that still fails stays a draft on its error row. Per mapping and
 * key the latest edit wins, so replaying an older edit of a key later does not undo a newer one.
 */
export async function keepCorrections(tx: Prisma.TransactionClient, mappingId: string, landedErrorRowIds: number[]): Promise<number> {
  if (landedErrorRowIds.length === 0) return 0;
  return tx.$executeRaw`
    INSERT INTO row_corrections (mapping_id, source_key, source_key_text, source_row, error_row_id, corrected_by_email, corrected_at)
    SELECT ${mappingId}, e.source_key::jsonb, e.source_key_text, e.source_row::jsonb, e.id, e.edited_by_email, e.edited_at
      FROM error_rows e
     WHERE e.id = ANY(${landedErrorRowIds}::int[]) AND e.edited_at IS NOT NULL AND e.resolved_at IS NOT NULL
    ON CONFLICT (mapping_id, source_key_text) DO UPDATE
       SET source_key = excluded.source_key, source_row = excluded.source_row, error_row_id = excluded.error_row_id,
           corrected_by_email = excluded.corrected_by_email, corrected_at = excluded.corrected_at
     WHERE row_corrections.corrected_at <= excluded.corrected_at`;
}

/**
 * Error rows about to be replayed, with their keys' corrections: a row with no edit of its
 * own (or an older one) is replayed with the correction instead of being read again from
 * the source, so a replay never undoes a correction.
 */
export async function withCorrections(mappingId: string, rows: StoredErrorRow[]): Promise<StoredErrorRow[]> {
  const corrections = await loadCorrections(mappingId, rows.map((r) => keyText(r.sourceKey)));
  if (corrections.size === 0) return rows;
  return rows.map((row) => {
    const correction = corrections.get(keyText(row.sourceKey));
    if (!correction || (row.editedAt && row.editedAt >= correction.correctedAt)) return row;
    return { ...row, sourceRow: { ...row.sourceRow, ...correction.sourceRow }, editedAt: correction.correctedAt };
  });
}
