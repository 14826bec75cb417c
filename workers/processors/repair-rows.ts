import type { KeyTuple } from '@/lib/connectors/connector';
import { prisma } from '@/lib/db/client';
import { releaseChunk } from '@/lib/engine/chunk-lease';
import type { ErrorRowDraft } from '@/lib/engine/error-row-draft';
import { loadJobContext } from '@/lib/engine/load-job-context';
import { saveCheckpoint } from '@/lib/engine/save-checkpoint';
import { makeBatchTransformer } from '@/lib/engine/transform-rows';
import { writeWithBisection } from '@/lib/engine/write-with-bisection';
import { sourceColumnsOf, targetColumnsOf } from '@/lib/mapping/apply-mapping';
import { settleJob } from '@/lib/jobs/finalize-job';
import { recordEvent } from '@/lib/jobs/record-event';
import type { RepairOptions } from '@/lib/jobs/start-repair';
import { jobPayloads } from '@/lib/queue/job-names';
import type { ProcessorContext } from '../registry';
import { runSingleChunkJob } from '../single-chunk-job';

const REPAIR_BATCH = 500;

/**
 * Re-syncs the report's differing and missing rows (read again from the source by source
 * key, mapped by the current version, written by the migration's write path with its
 * error rows), and deletes its extra rows when that was confirmed. The cursor is the last
 * diff id handled, checkpointed per batch; settling the job starts the verification.
 */
export async function repairRows(context: ProcessorContext) {
  const { jobId, chunkId } = jobPayloads['repair-rows'].parse(context.job.data);
  return runSingleChunkJob(context, {
    jobId,
    chunkId,
    doneEvent: {
      type: 'repaired',
      message: (totals) => `Re-synced ${totals.rowsRead} row(s): ${totals.rowsWritten} written, ${totals.rowsFailed} failed`,
    },
    async work(lease) {
      const ctx = await loadJobContext(jobId);
      const repair = await prisma().job.findUnique({ where: { id: jobId }, select: { options: true, status: true } });
      if (!ctx || !repair) return { skipped: 'job deleted' };
      const options = repair.options as unknown as RepairOptions;
      const { spec } = ctx;
      const transform = makeBatchTransformer(spec, ctx.targetTable.columns);
      const columns = targetColumnsOf(spec);
      const kinds = options.deleteExtra ? (['different', 'missing', 'extra'] as const) : (['different', 'missing'] as const);
      let after = (lease.cursor?.[0] as number | undefined) ?? 0;
      for (;;) {
        const status = (await prisma().job.findUnique({ where: { id: jobId }, select: { status: true } }))?.status;
        if (status !== 'running') {
          await releaseChunk(chunkId, lease.leaseId, 'cancelled');
          await settleJob(jobId);
          return { stopped: status };
        }
        const diffs = await prisma().consistencyDiff.findMany({
          where: { reportId: options.reportId, kind: { in: [...kinds] }, id: { gt: after } },
          orderBy: { id: 'asc' },
          take: REPAIR_BATCH,
          select: { id: true, kind: true, key: true, sourceKey: true },
        });
        if (diffs.length === 0) return undefined;
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
    },
  });
}
