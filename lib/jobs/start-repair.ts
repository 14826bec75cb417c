import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import { describeReason } from '../consistency/repair-rows';
import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { assertMappingNotArchived, lockUnarchivedMapping } from '../saved-mappings/mapping-archive-guard';
import type { RepairOptions } from '../schemas/job-request';
import type { StartRepairRequest } from '../schemas/consistency';
import { isFinal } from './job-state';
import { repairKind } from './kinds/repair';
import { recordEvent } from './record-event';
import { withTargetTableLease } from './target-table-lease';
import { enqueueUnits } from './units/enqueue-units';

/** Rows a repair expects to fail again for one reason: they failed for it under the version it runs. */
export interface KnownFailure {
  rows: number;
  stage: string;
  field: string | null;
  code: string;
  /** "invalid_email in email (transform)" */
  reason: string;
}

/**
 * What the dialog is told when the repair starts: of the report's different and missing
 * rows, those whose recorded error row (open) failed under this version, by reason. The
 * repair reports them, not re-runs them, unless their source row changed since; the
 * repair's own events give the exact numbers.
 */
async function knownFailures(reportId: string, mappingVersionId: string): Promise<KnownFailure[]> {
  const rows = await prisma().$queryRaw<{ stage: string; field: string | null; code: string; rows: number }[]>`
    SELECT e.stage::text AS stage, e.field, e.code, count(*)::int AS rows
      FROM consistency_diffs d JOIN error_rows e ON e.id = d.error_row_id
     WHERE d.report_id = ${reportId} AND d.kind IN ('different', 'missing')
       AND e.resolved_at IS NULL AND e.mapping_version_id = ${mappingVersionId}
     GROUP BY 1, 2, 3
     ORDER BY rows DESC, code`;
  return rows.map((r) => ({ ...r, reason: describeReason(r) }));
}

/**
 * Re-syncs only the differing and missing rows of a finished verification through the
 * mapping's current version (and, after the typed confirmation, deletes the extra target
 * rows), then verifies again. Rows known to fail again under that version are reported,
 * not re-run (repair-rows.ts); the answer lists them by reason for the dialog. The repair
 * is a job of its own (kind repair, parent = the verify job) with one chunk whose cursor is
 * the last diff id handled. Deleting extra rows runs alone on the target table
 * (target-table-lease.ts).
 */
export async function startRepair(actor: Actor, reportId: string, request: StartRepairRequest) {
  const report = await prisma().consistencyReport.findUnique({
    where: { id: reportId },
    select: {
      jobId: true,
      mappingId: true,
      job: { select: { status: true } },
      mapping: { select: { name: true, targetConnectionId: true, targetTable: true, latestVersion: true, archivedAt: true } },
    },
  });
  if (!report) throw notFound('Consistency report');
  assertMappingNotArchived(report.mapping, 'repairing its target');
  if (!isFinal(report.job.status) || report.job.status !== 'completed') {
    throw new AppError('illegal_transition', `Wait until the verification has completed (it is ${report.job.status.replace(/_/g, ' ')}) before repairing`);
  }
  if (request.deleteExtra && request.confirmDeleteExtra !== report.mapping.targetTable) {
    throw new AppError('validation_failed', `Deleting extra rows removes them from "${report.mapping.targetTable}"; type the table name to confirm`, [
      { path: 'body.confirmDeleteExtra', message: `must be "${report.mapping.targetTable}" to confirm deleting extra rows` },
    ]);
  }
  const kinds = request.deleteExtra ? (['different', 'missing', 'extra'] as const) : (['different', 'missing'] as const);
  const rows = await prisma().consistencyDiff.count({ where: { reportId, kind: { in: [...kinds] } } });
  const version = await prisma().mappingVersion.findUniqueOrThrow({
    where: { mappingId_version: { mappingId: report.mappingId, version: report.mapping.latestVersion } },
    select: { id: true, version: true },
  });
  const stillFailing = await knownFailures(reportId, version.id);
  const known = stillFailing.reduce((n, r) => n + r.rows, 0);
  const options: RepairOptions = { reportId, deleteExtra: request.deleteExtra };
  const use = request.deleteExtra
    ? { destructive: true, action: `a repair deleting extra rows of "${report.mapping.targetTable}"` }
    : { destructive: false, action: 'this repair' };
  const job = await withTargetTableLease({ connectionId: report.mapping.targetConnectionId, table: report.mapping.targetTable, ...use }, async (tx) => {
    await lockUnarchivedMapping(tx, report.mappingId, 'repairing its target');
    return tx.job.create({
      data: {
        kind: 'repair',
        mappingId: report.mappingId,
        mappingVersionId: version.id,
        parentJobId: report.jobId,
        rowsEstimated: rows,
        createdById: actor.id,
        options: { ...options },
        chunks: { create: { seq: 0 } },
      },
      select: { id: true, kind: true, status: true, chunks: { select: { id: true } } },
    });
  });
  await recordEvent(
    job.id,
    'created',
    `Repair of ${rows} difference(s) found by verification ${report.jobId}, with "${report.mapping.name}" v${version.version}${request.deleteExtra ? ', deleting extra rows' : ''}, by ${actor.email}` +
      (known > 0 ? `; ${known} of them failed under v${version.version} before and are expected to fail again: ${stillFailing.map((r) => `${r.rows} ${r.reason}`).join(', ')}` : ''),
  );
  await recordAudit(actor, 'job.repair', 'job', job.id, null, { reportId, verifyJobId: report.jobId, version: version.version, deleteExtra: request.deleteExtra, rows });
  await prisma().job.update({ where: { id: job.id }, data: { status: 'running', startedAt: new Date() } });
  await enqueueUnits(repairKind, job.id, job.chunks.map((c) => c.id));
  return { id: job.id, kind: job.kind, status: 'running' as const, mappingVersion: version.version, stillFailing };
}
