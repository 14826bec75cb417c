import { prisma, type Prisma } from '../db/client';
import { keyText } from '../engine/key-text';
import { LeaseLostError } from '../engine/chunk-lease';
import type { DiffDraft, RangeCounts } from './compare-batch';

/** JSON for PostgreSQL: bigint, binary and Dates made portable. */
export const jsonSafe = (value: unknown) =>
  JSON.parse(
    JSON.stringify(value ?? null, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)),
  ) as Prisma.InputJsonValue;

export interface RangeOwner {
  reportId: string;
  rangeId: string;
  attempt: number;
  mappingId: string;
}

/**
 * A missing row that a run of this mapping recorded as an (unresolved) error row links
 * to it: the newest one per source key.
 */
async function errorRowsByKey(mappingId: string, sourceKeyTexts: string[]): Promise<Map<string, number>> {
  if (sourceKeyTexts.length === 0) return new Map();
  // Job ids first, so the lookup runs on the (job_id, source_key_text) unique index.
  const jobs = await prisma().job.findMany({ where: { mappingId, kind: { in: ['migration', 'sync', 'replay', 'repair'] } }, select: { id: true } });
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

/**
 * Finishes a range: drops what other attempts wrote, stores the counters and marks it
 * done, in one transaction that only the lease holder can commit.
 */
export async function finishRange(owner: RangeOwner, leaseId: string, counts: RangeCounts & { rowsRead: number; hashMatched: number }): Promise<void> {
  await prisma().$transaction(async (tx) => {
    const moved = await tx.consistencyRange.updateMany({
      where: { id: owner.rangeId, leaseId },
      data: { ...counts, status: 'done', leaseId: null, workerId: null, finishedAt: new Date() },
    });
    if (moved.count !== 1) throw new LeaseLostError(owner.rangeId);
    await tx.consistencyDiff.deleteMany({ where: { rangeId: owner.rangeId, attempt: { not: owner.attempt } } });
    await tx.consistencyKey.deleteMany({ where: { rangeId: owner.rangeId, attempt: { not: owner.attempt } } });
  });
}
