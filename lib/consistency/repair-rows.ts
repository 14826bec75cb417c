import type { KeyTuple } from '../connectors/connector';
import { prisma } from '../db/client';
import type { ErrorRowDraft } from '../engine/error-row-draft';
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

/**
 * Re-syncs the report's differing and missing rows (read again from the source by source
 * key, mapped by the current version, written by the migration's write path with its
 * error rows), and deletes its extra rows when that was confirmed. The cursor is the last
 * diff id handled, checkpointed per batch; settling the job starts the verification.
 */
export async function repairRows(run: UnitRun<RepairCursor>, options: RepairOptions): Promise<UnitOutcome> {
  const { jobId, unitId: chunkId, lease } = run;
  const ctx = await loadJobContext(jobId);
  if (!ctx) return { skipped: 'job deleted' };
  const { spec } = ctx;
  const transform = makeBatchTransformer(spec, ctx.targetTable.columns);
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
    const batch = transform(sourceRows);
    const errors: ErrorRowDraft[] = [...batch.errors];
    const written = await writeWithBisection(
      ctx.target,
      { table: spec.target.table, keyColumns: spec.target.key, columns, mode: spec.writeMode },
      batch.rows.map((row) => ({ values: columns.map((c) => row.values[c] ?? null), origin: row })),
    );
    for (const { origin, failure } of written.failed) errors.push({ sourceKey: origin.sourceKey, sourceRow: origin.sourceRow, stage: 'write', ...failure });
    // Deleting a key twice (a retried batch) deletes nothing the second time.
    const deleted = extraKeys.length ? await ctx.target.deleteKeys(spec.target.table, spec.target.key, extraKeys) : 0;
    after = diffs[diffs.length - 1].id;
    await saveCheckpoint(jobId, chunkId, lease.leaseId, ctx.mappingVersionId, {
      cursor: [after],
      read: batch.inScope,
      written: written.written,
      duplicates: 0,
      errors,
    });
    if (deleted > 0) await recordEvent(jobId, 'extra_deleted', `Deleted ${deleted} extra row(s) from ${spec.target.table}`, { deleted });
  }
  const totals = await prisma().chunk.findUniqueOrThrow({ where: { id: chunkId }, select: { rowsRead: true, rowsWritten: true, rowsFailed: true } });
  return {
    done: { type: 'repaired', message: `Re-synced ${totals.rowsRead} row(s): ${totals.rowsWritten} written, ${totals.rowsFailed} failed`, data: { ...totals } },
  };
}
