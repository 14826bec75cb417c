import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import { describeTable } from '../saved-connections/browse-schema';
import { prisma, type Prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { verifySettingsSchema, type VerifySettings } from '../schemas/consistency';

/** A mapping's saved verify settings, with defaults for anything never saved. */
export async function getVerifySettings(mappingId: string): Promise<VerifySettings> {
  const mapping = await prisma().mapping.findUnique({ where: { id: mappingId }, select: { verifySettings: true } });
  if (!mapping) throw notFound('Mapping');
  return verifySettingsSchema.parse(mapping.verifySettings ?? {});
}

/** Saves a mapping's verify settings; every column named must exist in the target table. */
export async function saveVerifySettings(actor: Actor, mappingId: string, settings: VerifySettings): Promise<VerifySettings> {
  const mapping = await prisma().mapping.findUnique({
    where: { id: mappingId },
    select: { name: true, targetConnectionId: true, targetTable: true, verifySettings: true },
  });
  if (!mapping) throw notFound('Mapping');
  const target = await describeTable(mapping.targetConnectionId, mapping.targetTable);
  const known = new Set(target.columns.map((c) => c.name));
  const unknown = Object.keys(settings.columns).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new AppError(
      'validation_failed',
      `Unknown column(s) of "${mapping.targetTable}": ${unknown.join(', ')}`,
      unknown.map((name) => ({ path: `body.columns.${name}`, message: `is not a column of "${mapping.targetTable}"` })),
    );
  }
  for (const key of target.primaryKey) {
    if (settings.columns[key]?.exclude) {
      throw new AppError('validation_failed', `Key column "${key}" cannot be excluded: records are compared by key`, [
        { path: `body.columns.${key}.exclude`, message: 'a key column cannot be excluded' },
      ]);
    }
  }
  await prisma().mapping.update({ where: { id: mappingId }, data: { verifySettings: settings as Prisma.InputJsonValue } });
  await recordAudit(actor, 'mapping.verify_settings', 'mapping', mappingId, { name: mapping.name, verifySettings: mapping.verifySettings }, {
    name: mapping.name,
    verifySettings: settings,
  });
  return settings;
}
