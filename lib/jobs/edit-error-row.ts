import { makeIdRecorder } from '../engine/record-ids';
import { z } from 'zod';
import { prisma, type Prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import { cachedConnector, cachedTableDetail } from '../engine/connector-cache';
import { loadStoredErrorRows, recordReplayOutcome, replayErrorRows } from '../engine/replay-error-rows';
import { keepCorrections, withCorrections } from '../corrections/keep-corrections';
import { mappingSpecSchema } from '../schemas/mapping-spec';
import { assertMappingNotArchived } from '../saved-mappings/mapping-archive-guard';

export const editErrorRowSchema = z.object({
  /** Corrected source values by source column; the key columns cannot change. */
  values: z.record(z.string().max(128), z.union([z.string().max(100_000), z.number(), z.boolean(), z.null()])),
});
export type EditErrorRowRequest = z.infer<typeof editErrorRowSchema>;

async function loadErrorRow(jobId: string, errorRowId: number) {
  const row = await prisma().errorRow.findFirst({
    where: { id: errorRowId, jobId },
    select: { id: true, sourceRow: true, resolvedAt: true, job: { select: { mappingId: true, mapping: { select: { latestVersion: true, name: true, archivedAt: true } } } } },
  });
  if (!row) throw notFound('Error row');
  // An archived mapping's error rows are history: read and downloaded, not changed or replayed.
  assertMappingNotArchived(row.job.mapping, 'correcting or replaying its error rows');
  return row;
}

/**
 * An analyst corrects a failed row's source values; the next replay uses them. When that
 * replay lands the row, the edited row becomes the key's correction (keep-corrections.ts):
 * until then it is a draft on the error row, and a later edit replaces it.
 */
export async function editErrorRow(actor: Actor, jobId: string, errorRowId: number, request: EditErrorRowRequest) {
  const row = await loadErrorRow(jobId, errorRowId);
  if (row.resolvedAt) throw new AppError('conflict', 'This row has already landed; there is nothing to correct');
  const before = row.sourceRow as Record<string, unknown>;
  const version = await prisma().mappingVersion.findUniqueOrThrow({
    where: { mappingId_version: { mappingId: row.job.mappingId, version: row.job.mapping.latestVersion } },
    select: { spec: true },
  });
  const keyColumns = mappingSpecSchema.parse(version.spec).source.key;
  const issues = Object.keys(request.values).flatMap((column) =>
    !(column in before)
      ? [{ path: `body.values.${column}`, message: 'is not a column of the source row' }]
      : keyColumns.includes(column) && request.values[column] !== before[column]
        ? [{ path: `body.values.${column}`, message: 'is part of the source key and cannot change' }]
        : [],
  );
  if (issues.length) throw new AppError('validation_failed', issues.map((i) => `${i.path.replace('body.values.', '')} ${i.message}`).join('; '), issues);
  const after = { ...before, ...request.values };
  await prisma().errorRow.update({
    where: { id: errorRowId },
    data: { sourceRow: after as Prisma.InputJsonValue, editedAt: new Date(), editedByEmail: actor.email },
  });
  await recordAudit(actor, 'error_row.edit', 'error_row', String(errorRowId), { values: before }, { values: after });
  return { sourceRow: after };
}

/**
 * Replays one error row right away through the mapping's latest version and the normal
 * write path, and answers whether it landed (or why it still fails). An edited row that
 * lands is kept as its key's correction, in the transaction that marks it landed.
 */
export async function replayOneErrorRow(actor: Actor, jobId: string, errorRowId: number) {
  const row = await loadErrorRow(jobId, errorRowId);
  if (row.resolvedAt) throw new AppError('conflict', 'This row has already landed');
  const mapping = await prisma().mapping.findUniqueOrThrow({
    where: { id: row.job.mappingId },
    select: { sourceConnectionId: true, sourceTable: true, targetConnectionId: true, targetTable: true, latestVersion: true },
  });
  const version = await prisma().mappingVersion.findUniqueOrThrow({
    where: { mappingId_version: { mappingId: row.job.mappingId, version: mapping.latestVersion } },
    select: { id: true, spec: true },
  });
  const [source, target, targetTable, sourceTable] = await Promise.all([
    cachedConnector(mapping.sourceConnectionId),
    cachedConnector(mapping.targetConnectionId),
    cachedTableDetail(mapping.targetConnectionId, mapping.targetTable),
    cachedTableDetail(mapping.sourceConnectionId, mapping.sourceTable),
  ]);
  const spec = mappingSpecSchema.parse(version.spec);
  const outcome = await replayErrorRows(
    { spec, mappingVersionId: version.id, source, target, targetColumns: targetTable.columns, sourceColumns: sourceTable.columns, ids: await makeIdRecorder(row.job.mappingId, spec, target, targetTable) },
    await withCorrections(row.job.mappingId, await loadStoredErrorRows([errorRowId])),
  );
  await prisma().$transaction(async (tx) => {
    await recordReplayOutcome(tx, outcome, null, version.id);
    await keepCorrections(tx, row.job.mappingId, outcome.resolved);
  });
  await recordAudit(actor, 'error_row.replay', 'error_row', String(errorRowId), null, { landed: outcome.resolved.length === 1 });
  const failure = outcome.stillFailing[0]?.draft;
  return failure
    ? { landed: false, stage: failure.stage, field: failure.field, code: failure.code, message: failure.message }
    : { landed: true };
}
