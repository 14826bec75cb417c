import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import { describeTable } from '../saved-connections/browse-schema';
import { prisma, type Prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { assertMappingNotArchived } from '../saved-mappings/mapping-archive-guard';
import { verifySettingsSchema, type StartVerifyRequest, type VerifySettings } from '../schemas/consistency';

/** A mapping's saved verify settings, with defaults for anything never saved. */
export async function getVerifySettings(mappingId: string): Promise<VerifySettings> {
  const mapping = await prisma().mapping.findUnique({ where: { id: mappingId }, select: { verifySettings: true } });
  if (!mapping) throw notFound('Mapping');
  return verifySettingsSchema.parse(mapping.verifySettings ?? {});
}

/**
 * Refuses normalization settings for columns the mapping's target table does not have, and
 * the exclusion of a key column (records are compared by key). `path` is where the
 * columns sit in the request ("body.columns", "body.settings.columns").
 */
export async function assertVerifyColumns(
  target: { connectionId: string; table: string },
  columns: VerifySettings['columns'],
  path: string,
): Promise<void> {
  const names = Object.keys(columns);
  if (names.length === 0) return;
  const table = await describeTable(target.connectionId, target.table);
  const known = new Set(table.columns.map((c) => c.name));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new AppError(
      'validation_failed',
      `Unknown column(s) of "${target.table}": ${unknown.join(', ')}`,
      unknown.map((name) => ({ path: `${path}.${name}`, message: `is not a column of "${target.table}"` })),
    );
  }
  for (const key of table.primaryKey) {
    if (columns[key]?.exclude) {
      throw new AppError('validation_failed', `Key column "${key}" cannot be excluded: records are compared by key`, [
        { path: `${path}.${key}.exclude`, message: 'a key column cannot be excluded' },
      ]);
    }
  }
}

/** A verify run's overrides (POST /api/mappings/[id]/verify) follow the same column rules as saved settings. */
export async function assertVerifyOverrides(mappingId: string, overrides: StartVerifyRequest['settings']): Promise<void> {
  if (!overrides?.columns || Object.keys(overrides.columns).length === 0) return;
  const mapping = await prisma().mapping.findUnique({ where: { id: mappingId }, select: { targetConnectionId: true, targetTable: true } });
  if (!mapping) throw notFound('Mapping');
  await assertVerifyColumns({ connectionId: mapping.targetConnectionId, table: mapping.targetTable }, overrides.columns, 'body.settings.columns');
}

/** Saves a mapping's verify settings; every column named must exist in the target table. */
export async function saveVerifySettings(actor: Actor, mappingId: string, settings: VerifySettings): Promise<VerifySettings> {
  const mapping = await prisma().mapping.findUnique({
    where: { id: mappingId },
    select: { name: true, targetConnectionId: true, targetTable: true, verifySettings: true, archivedAt: true },
  });
  if (!mapping) throw notFound('Mapping');
  assertMappingNotArchived(mapping, 'changing its verify settings');
  await assertVerifyColumns({ connectionId: mapping.targetConnectionId, table: mapping.targetTable }, settings.columns, 'body.columns');
  await prisma().mapping.update({ where: { id: mappingId }, data: { verifySettings: settings as Prisma.InputJsonValue } });
  await recordAudit(actor, 'mapping.verify_settings', 'mapping', mappingId, { name: mapping.name, verifySettings: mapping.verifySettings }, {
    name: mapping.name,
    verifySettings: settings,
  });
  return settings;
}
