import { prisma, type Prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import type { ApiIssue } from '../mapping/check-mapping';
import type { CreateMappingRequest, SaveMappingVersionRequest } from '../schemas/mapping-request';
import { assertMappingValid } from './validate-mapping-against-tables';
import { assertMappingNotArchived, lockUnarchivedMapping } from './mapping-archive-guard';

const asJson = (value: unknown) => value as Prisma.InputJsonValue;

/** Creates a mapping at version 1; answers with the mapping and the check's warnings (rows likely to fail). */
export async function createMapping(actor: Actor, request: CreateMappingRequest): Promise<{ id: string; name: string; latestVersion: number; warnings: ApiIssue[] }> {
  const clash = await prisma().mapping.findUnique({ where: { name: request.name }, select: { id: true, archivedAt: true } });
  if (clash) {
    const archived = clash.archivedAt ? ' (archived: restore it, or an admin erases it)' : '';
    throw new AppError('conflict', `A mapping named "${request.name}" exists${archived}`, [{ path: 'body.name', message: `is taken${archived}` }]);
  }
  const warnings = await assertMappingValid(request.sourceConnectionId, request.targetConnectionId, request.spec);
  const mapping = await prisma().mapping.create({
    data: {
      name: request.name,
      sourceConnectionId: request.sourceConnectionId,
      sourceTable: request.spec.source.table,
      targetConnectionId: request.targetConnectionId,
      targetTable: request.spec.target.table,
      latestVersion: 1,
      versions: { create: { version: 1, spec: asJson(request.spec), comment: request.comment, createdById: actor.id } },
    },
    select: { id: true, name: true, latestVersion: true },
  });
  await recordAudit(actor, 'mapping.create', 'mapping', mapping.id, null, { name: request.name, version: 1, spec: request.spec });
  return { ...mapping, warnings };
}

/** Every save is a new immutable version; running and past jobs keep theirs. Answers with the check's warnings too. */
export async function saveMappingVersion(
  actor: Actor,
  mappingId: string,
  request: SaveMappingVersionRequest,
): Promise<{ id: string; version: number; createdAt: Date; warnings: ApiIssue[] }> {
  const mapping = await prisma().mapping.findUnique({
    where: { id: mappingId },
    select: { name: true, sourceConnectionId: true, targetConnectionId: true, sourceTable: true, targetTable: true, latestVersion: true, archivedAt: true },
  });
  if (!mapping) throw notFound('Mapping');
  assertMappingNotArchived(mapping, 'saving a new version');
  if (request.spec.source.table !== mapping.sourceTable || request.spec.target.table !== mapping.targetTable) {
    throw new AppError('validation_failed', 'A mapping keeps its source and target tables; create a new mapping for other tables', [
      { path: 'body.spec.source.table', message: `must stay "${mapping.sourceTable}"` },
    ]);
  }
  const warnings = await assertMappingValid(mapping.sourceConnectionId, mapping.targetConnectionId, request.spec, mappingId);
  const previous = await prisma().mappingVersion.findUnique({
    where: { mappingId_version: { mappingId, version: mapping.latestVersion } },
    select: { spec: true },
  });
  const version = await prisma().$transaction(async (tx) => {
    await lockUnarchivedMapping(tx, mappingId, 'saving a new version');
    const updated = await tx.mapping.update({ where: { id: mappingId }, data: { latestVersion: { increment: 1 } }, select: { latestVersion: true } });
    return tx.mappingVersion.create({
      data: { mappingId, version: updated.latestVersion, spec: asJson(request.spec), comment: request.comment, createdById: actor.id },
      select: { id: true, version: true, createdAt: true },
    });
  });
  await recordAudit(actor, 'mapping.version', 'mapping', mappingId, { version: mapping.latestVersion, spec: previous?.spec }, {
    version: version.version,
    spec: request.spec,
  });
  return { ...version, warnings };
}
