import { prisma } from '../db/client';
import { keyText } from '../engine/key-text';
import type { DiffDraft } from './compare-batch';
import type { RangeOwner } from './range-owner';

/**
 * A missing row that a run of this mapping recorded as an (unresolved) error row links
 * to it: the newest one per source key.
 */
async function errorRowsByKey(mappingId: string, sourceKeyTexts: string[]): Promise<Map<string, number>> {
  if (sourceKeyTexts.length === 0) return new Map();
  // Job ids first, so the lookup runs on the (job_id, source_key_text) unique index. Every
  // kind's jobs: only kinds that copy rows ever hold error rows.
  const jobs = await prisma().job.findMany({ where: { mappingId }, select: { id: true } });
  if (jobs.length === 0) return new Map();
  const rows = await prisma().errorRow.findMany({
    where: { jobId: { in: jobs.map((j) => j.id) }, sourceKeyText: { in: sourceKeyTexts }, resolvedAt: null },
    orderBy: { id: 'asc' },
    select: { id: true, sourceKeyText: true },
  });
  return new Map(rows.map((r) => [r.sourceKeyText, r.id]));
}

/** JSON text for a jsonb parameter (null stays SQL NULL). */
const jsonText = (value: unknown): string | null =>
  value === null || value === undefined
    ? null
    : JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));

/**
 * Stores a batch's diffs, tagged with the range attempt that found them, as one array
 * insert: a range of a badly out-of-sync table can have a difference on every row.
 */
export async function storeDiffs(owner: RangeOwner, diffs: DiffDraft[]): Promise<void> {
  if (diffs.length === 0) return;
  const missingKeys = diffs.filter((d) => d.kind === 'missing' && d.sourceKey).map((d) => keyText(d.sourceKey ?? []));
  const links = await errorRowsByKey(owner.mappingId, [...new Set(missingKeys)]);
  const link = (d: DiffDraft) => (d.kind === 'missing' && d.sourceKey ? (links.get(keyText(d.sourceKey)) ?? null) : null);
  await prisma().$executeRaw`
    INSERT INTO consistency_diffs (report_id, range_id, attempt, kind, key_text, key, source_key, fields, source_row, target_row, error_row_id)
    SELECT ${owner.reportId}, ${owner.rangeId}, ${owner.attempt}, k::"DiffKind", kt, key::jsonb, sk::jsonb, f::jsonb, sr::jsonb, tr::jsonb, e
      FROM unnest(${diffs.map((d) => d.kind)}::text[], ${diffs.map((d) => d.keyText.slice(0, 2000))}::text[],
                  ${diffs.map((d) => jsonText(d.key))}::text[], ${diffs.map((d) => jsonText(d.sourceKey))}::text[],
                  ${diffs.map((d) => jsonText(d.fields))}::text[], ${diffs.map((d) => jsonText(d.sourceRow))}::text[],
                  ${diffs.map((d) => jsonText(d.targetRow))}::text[], ${diffs.map(link)}::int[]) AS t(k, kt, key, sk, f, sr, tr, e)`;
}
