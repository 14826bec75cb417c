import { prisma } from '../db/client';
import type { RangeOwner } from './range-owner';

/**
 * Records mapped keys in the run's key table; returns the ones this attempt owns now.
 * A key held by another range (or already by this attempt) is a duplicate; a key left by
 * an earlier attempt of the same range is taken over.
 */
export async function claimKeys(owner: RangeOwner, keyTexts: string[]): Promise<Set<string>> {
  if (keyTexts.length === 0) return new Set();
  const rows = await prisma().$queryRaw<{ key_text: string }[]>`
    INSERT INTO consistency_keys (report_id, key_text, range_id, attempt)
    SELECT ${owner.reportId}, k, ${owner.rangeId}, ${owner.attempt} FROM unnest(${keyTexts}::text[]) AS k
    ON CONFLICT (report_id, key_text) DO UPDATE SET attempt = EXCLUDED.attempt
      WHERE consistency_keys.range_id = EXCLUDED.range_id AND consistency_keys.attempt <> EXCLUDED.attempt
    RETURNING key_text`;
  return new Set(rows.map((r) => r.key_text));
}

/** Key texts absent from the run's key table: target records no source row produced. */
export async function unclaimedKeys(reportId: string, keyTexts: string[]): Promise<Set<string>> {
  if (keyTexts.length === 0) return new Set();
  const rows = await prisma().$queryRaw<{ k: string }[]>`
    SELECT k FROM unnest(${keyTexts}::text[]) AS k
     WHERE NOT EXISTS (SELECT 1 FROM consistency_keys c WHERE c.report_id = ${reportId} AND c.key_text = k)`;
  return new Set(rows.map((r) => r.k));
}
