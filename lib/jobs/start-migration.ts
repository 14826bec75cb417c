import { prisma, type Prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../audit/record-audit';
import { assertMappingNotArchived, lockUnarchivedMapping } from '../saved-mappings/mapping-archive-guard';
import type { Actor } from '../auth/roles';
import { jobOptionsSchema, type StartMigrationRequest } from '../schemas/job-request';
import { enqueuePlanner } from './enqueue-planner';
import { migrationKind } from './kinds/migration';
import { recordEvent } from './record-event';
import { withTargetTableLease } from './target-table-lease';

/**
 * Creates a migration job for a mapping version and hands it to the planner.
 * The version is pinned: later edits to the mapping never change a running job.
 * A full reload runs alone on its target table (target-table-lease.ts).
 */
export async function startMigration(actor: Actor, request: StartMigrationRequest, planStep?: { runId: string; step: 'load' | 'fill' }) {
  const mapping = await prisma().mapping.findUnique({
    where: { id: request.mappingId },
    select: { id: true, name: true, latestVersion: true, targetConnectionId: true, targetTable: true, archivedAt: true },
  });
  if (!mapping) throw notFound('Mapping');
  assertMappingNotArchived(mapping, 'starting a migration');
  const versionNumber = request.version ?? mapping.latestVersion;
  const version = await prisma().mappingVersion.findUnique({
    where: { mappingId_version: { mappingId: mapping.id, version: versionNumber } },
    select: { id: true, version: true },
  });
  if (!version) throw new AppError('validation_failed', `Mapping has no version ${versionNumber}`, [{ path: 'body.version', message: 'does not exist' }]);

  const options = jobOptionsSchema.parse(request.options);
  if (options.fullReload && request.confirmFullReload !== mapping.targetTable) {
    throw new AppError('validation_failed', `A full reload empties "${mapping.targetTable}" first; type the table name to confirm`, [
      { path: 'body.confirmFullReload', message: `must be "${mapping.targetTable}" to confirm a full reload` },
    ]);
  }

  const use = options.fullReload
    ? { destructive: true, action: `a full reload of "${mapping.targetTable}"` }
    : { destructive: false, action: 'this migration' };
  const job = await withTargetTableLease({ connectionId: mapping.targetConnectionId, table: mapping.targetTable, ...use }, async (tx) => {
    await lockUnarchivedMapping(tx, mapping.id, 'starting a migration');
    return tx.job.create({
      data: {
        kind: 'migration',
        mappingId: mapping.id,
        mappingVersionId: version.id,
        options: options as Prisma.InputJsonValue,
        createdById: actor.id,
        planRunId: planStep?.runId,
        planStep: planStep?.step,
      },
      select: { id: true, status: true },
    });
  });
  const by = planStep ? `by plan run ${planStep.runId.slice(0, 8)} (${planStep.step === 'fill' ? 'second pass: deferred references' : 'load'}) for ${actor.email}` : `by ${actor.email}`;
  await recordEvent(job.id, 'created', `Migration queued ${by} with mapping "${mapping.name}" v${version.version}`, { options });
  await recordAudit(actor, 'job.start', 'job', job.id, null, { kind: 'migration', mapping: mapping.name, version: version.version, options });
  await enqueuePlanner(migrationKind, job.id);
  return job;
}
