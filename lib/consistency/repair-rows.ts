import { resolveBatchReferences } from '../engine/resolve-references';
import type { KeyTuple } from '../connectors/connector';
import { makeCorrector } from '../corrections/apply-corrections';
import { makeWrittenRowsCheck } from './check-written-rows';
import { prisma } from '../db/client';
import type { ErrorRowDraft } from '../engine/error-row-draft';
import { keyText } from '../engine/key-text';
import { loadJobContext } from '../engine/load-job-context';
import { saveCheckpoint } from '../engine/save-checkpoint';
import { makeBatchTransformer } from '../engine/transform-rows';
import { writeWithBisection } from '../engine/write-with-bisection';
import { recordEvent } from '../jobs/record-event';
import type { UnitOutcome, UnitRun } from '../jobs/units/run-unit';
import { sourceColumnsOf, targetColumnsOf } from '../mapping/apply-mapping';
import type { RepairOptions } from '../schemas/job-request';

const REPAIR_BATCH = 500;

/** A repair's checkpoint: the last diff id handled. */
export type RepairCursor = [afterDiffId: number];

/** Why a row failed, in words: "invalid_email in email (transform)". */
export const describeReason = (r: { stage: string; field: string | null; code: string }) => `${r.code}${r.field ? ` in ${r.field}` : ''} (${r.stage})`;

interface OpenFailure {
  id: number;
  mappingVersionId: string;
  stage: string;
  code: string;
}

/**
 * The newest open error row per source key among the mapping's other jobs: how the key
 * failed last, and under which version. The job ids first, so the look-up runs on the
 * (job_id, source_key_text) unique index.
 */
async function openFailuresOf(mappingId: string, exceptJobId: string) {
  const jobIds = (await prisma().job.findMany({ where: { mappingId, id: { not: exceptJobId } }, select: { id: true } })).map((j) => j.id);
  return async (keys: KeyTuple[]): Promise<Map<string, OpenFailure>> => {
    if (keys.length === 0 || jobIds.length === 0) return new Map();
    // One index probe per (job, key) (LATERAL … LIMIT 1): IN lists on both columns may read
    // every error row of the jobs when statistics are stale.
    const rows = await prisma().$queryRaw<(OpenFailure & { sourceKeyText: string })[]>`
      SELECT e.id, e.source_key_text AS "sourceKeyText", e.mapping_version_id AS "mappingVersionId", e.stage::text AS stage, e.code
        FROM unnest(${jobIds}::text[]) AS j(id) CROSS JOIN unnest(${keys.map(keyText)}::text[]) AS u(kt)
        CROSS JOIN LATERAL (SELECT x.id, x.source_key_text, x.mapping_version_id, x.stage, x.code FROM error_rows x
                             WHERE x.job_id = j.id AND x.source_key_text = u.kt AND x.resolved_at IS NULL LIMIT 1) e
       ORDER BY e.id ASC`;
    return new Map(rows.map((r) => [r.sourceKeyText, r]));
  };
}

/**
 * Re-syncs the report's differing and missing rows (read again from the source by source
 * key, or an analyst's correction of the key; mapped by the current version; written by
 * the migration's write path with its error rows), and deletes its extra rows when that
 * was confirmed. The cursor is the last diff id handled, checkpointed per batch; settling
 * the job starts the verification.
 *
 * A row that fails again exactly as its open error row says it did under this same
 * version (same stage and code) is a known failure: it is not recorded again, and the
 * repair reports such rows once per reason ("n rows still fail: …"). The mapping is
 * applied in memory, so a row whose source (or correction) changed since is written; a row
 * that failed under another version is re-run and recorded if it fails now.
 */
export async function repairRows(run: UnitRun<RepairCursor>, options: RepairOptions): Promise<UnitOutcome> {
  const { jobId, unitId: chunkId, lease } = run;
  const ctx = await loadJobContext(jobId);
  const job = await prisma().job.findUnique({ where: { id: jobId }, select: { mappingId: true, mappingVersion: { select: { version: true } } } });
  if (!ctx || !job) return { skipped: 'job deleted' };
  const { spec } = ctx;
  const transform = makeBatchTransformer(spec, ctx.targetTable.columns, ctx.sourceTable.columns);
  const corrector = makeCorrector({ mappingId: job.mappingId }, { keyColumns: spec.source.key });
  const failedBefore = await openFailuresOf(job.mappingId, jobId);
  const checkWritten = await makeWrittenRowsCheck(ctx, options.reportId);
  const columns = targetColumnsOf(spec);
  const kinds = options.deleteExtra ? (['different', 'missing', 'extra'] as const) : (['different', 'missing'] as const);
  let after = run.cursor?.[0] ?? 0;
  for (;;) {
    const stop = await run.pollStop();
    if (stop) return { stopped: stop };
    const diffs = await prisma().consistencyDiff.findMany({
      where: { reportId: options.reportId, kind: { in: [...kinds] }, id: { gt: after } },
      orderBy: { id: 'asc' },
      take: REPAIR_BATCH,
      select: { id: true, kind: true, key: true, sourceKey: true },
    });
    if (diffs.length === 0) break;
    const sourceKeys = diffs.filter((d) => d.kind !== 'extra' && d.sourceKey).map((d) => d.sourceKey as KeyTuple);
    const extraKeys = diffs.filter((d) => d.kind === 'extra').map((d) => d.key as KeyTuple);
    const sourceRows = sourceKeys.length ? await ctx.source.readKeys(spec.source.table, spec.source.key, sourceColumnsOf(spec), sourceKeys) : [];
    const batch = await resolveBatchReferences(spec, ctx.targetTable.columns, transform(await corrector.rows(sourceRows)), ctx.references);
    const before = await failedBefore(sourceKeys);
    const errors: ErrorRowDraft[] = [];
    const stillFailing: number[] = [];
    const sort = (draft: ErrorRowDraft) => {
      const last = before.get(keyText(draft.sourceKey));
      if (last && last.mappingVersionId === ctx.mappingVersionId && last.stage === draft.stage && last.code === draft.code) stillFailing.push(last.id);
      else errors.push(draft);
    };
    batch.errors.forEach(sort);
    const written = await writeWithBisection(
      ctx.target,
      { table: spec.target.table, keyColumns: spec.target.key, columns, mode: spec.writeMode },
      batch.rows.map((row) => ({ values: columns.map((c) => row.values[c] ?? null), origin: row })),
    );
    for (const { origin, failure } of written.failed) sort({ sourceKey: origin.sourceKey, sourceRow: origin.sourceRow, stage: 'write', ...failure });
    // Convergence: a written row the target keeps otherwise is an error row saying why, not a write.
    const failedRows = new Set(written.failed.map((f) => f.origin));
    const unsettled = await checkWritten(batch.rows.filter((row) => !failedRows.has(row)));
    unsettled.forEach(sort);
    // Deleting a key twice (a retried batch) deletes nothing the second time; the event comes first, so a retry cannot lose the count.
    const deleted = extraKeys.length ? await ctx.target.deleteKeys(spec.target.table, spec.target.key, extraKeys) : 0;
    if (deleted > 0) await recordEvent(jobId, 'extra_deleted', `Deleted ${deleted} extra row(s) from ${spec.target.table}`, { deleted });
    // The open error rows keep their reason; they are marked as tried by this repair (the count at the end reads them).
    if (stillFailing.length) await prisma().errorRow.updateMany({ where: { id: { in: stillFailing } }, data: { lastReplayJobId: jobId } });
    after = diffs[diffs.length - 1].id;
    await saveCheckpoint(jobId, chunkId, lease.leaseId, ctx.mappingVersionId, {
      cursor: [after],
      read: batch.inScope - stillFailing.length,
      written: written.written - unsettled.length,
      duplicates: 0,
      errors,
    });
  }
  return repairOutcome(jobId, chunkId, job.mappingId, job.mappingVersion.version, spec.target.table);
}

/** The repair's outcome: what it re-synced, what still fails for a known reason (an event per reason, once), what it deleted. */
async function repairOutcome(jobId: string, chunkId: string, mappingId: string, version: number, table: string): Promise<UnitOutcome> {
  const jobIds = (await prisma().job.findMany({ where: { mappingId }, select: { id: true } })).map((j) => j.id);
  const [totals, reasons, deletions, reported] = await Promise.all([
    prisma().chunk.findUniqueOrThrow({ where: { id: chunkId }, select: { rowsRead: true, rowsWritten: true, rowsFailed: true } }),
    prisma().errorRow.groupBy({
      by: ['stage', 'field', 'code'],
      where: { jobId: { in: jobIds }, lastReplayJobId: jobId, resolvedAt: null },
      _count: { _all: true },
    }),
    prisma().jobEvent.findMany({ where: { jobId, type: 'extra_deleted' }, select: { data: true } }),
    prisma().jobEvent.count({ where: { jobId, type: 'still_failing' } }),
  ]);
  const still = reasons.map((r) => ({ rows: r._count._all, stage: r.stage, field: r.field, code: r.code })).sort((a, b) => b.rows - a.rows);
  const stillFailing = still.reduce((n, r) => n + r.rows, 0);
  const deleted = deletions.reduce((n, e) => n + ((e.data as { deleted?: number } | null)?.deleted ?? 0), 0);
  // A retried end (a worker lost after these events) does not say them twice.
  if (reported === 0) {
    for (const r of still) {
      await recordEvent(jobId, 'still_failing', `${r.rows} row(s) still fail: ${describeReason(r)}, as they did before under v${version}; not re-run`, { ...r, version }, 'warn');
    }
  }
  const parts: string[] = [];
  if (totals.rowsRead > 0 || (stillFailing === 0 && deleted === 0)) {
    parts.push(`Re-synced ${totals.rowsRead} row(s): ${totals.rowsWritten} written, ${totals.rowsFailed} failed`);
  }
  if (stillFailing > 0) parts.push(`${stillFailing} row(s) still fail for the reasons they failed with before under v${version} (not re-run)`);
  if (deleted > 0) parts.push(`Deleted ${deleted} extra row(s) from ${table}`);
  return { done: { type: 'repaired', message: parts.join('; '), data: { ...totals, stillFailing, deleted } } };
}
