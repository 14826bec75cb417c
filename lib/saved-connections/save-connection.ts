import { encryptSecret } from '../crypto/secret-box';
import { prisma } from '../db/client';
import { env } from '../env';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import type { ConnectionConfig } from '../schemas/connection-config';
import { connectionViewSelect, toConnectionView } from './connection-view';
import { getConnection } from './get-connection';
import { assertStoredPasswordFits } from './stored-password-binding';

async function assertNameFree(name: string, exceptId?: string) {
  const clash = await prisma().connection.findFirst({ where: { name, NOT: exceptId ? { id: exceptId } : undefined }, select: { id: true } });
  if (clash) throw new AppError('conflict', `A connection named "${name}" exists`, [{ path: 'name', message: 'is taken' }]);
}

const plainFields = (config: ConnectionConfig) => ({
  name: config.name,
  kind: config.kind,
  host: config.host,
  port: config.port,
  database: config.database,
  username: config.username,
  sslMode: config.sslMode,
  schema: config.schema ?? null,
  // Undefined leaves the column alone: its default (UTC) on create, the stored zone on edit.
  timestampZone: config.timestampZone,
});

export async function createConnection(actor: Actor, config: ConnectionConfig) {
  await assertNameFree(config.name);
  const row = await prisma().connection.create({
    data: {
      ...plainFields(config),
      passwordEncrypted: config.password ? encryptSecret(config.password, env().FERRY_SECRET_KEY) : null,
      createdById: actor.id,
    },
    select: connectionViewSelect,
  });
  const view = toConnectionView(row, !!config.password);
  await recordAudit(actor, 'connection.create', 'connection', row.id, null, view);
  return view;
}

/**
 * An empty or missing password keeps the stored one, unless the place it is sent to
 * changes (then it must be typed again); secrets are never echoed back.
 */
export async function updateConnection(actor: Actor, id: string, config: ConnectionConfig) {
  const before = await getConnection(id);
  await assertNameFree(config.name, id);
  await assertStoredPasswordFits(id, config);
  await prisma().connection.update({
    where: { id },
    data: {
      ...plainFields(config),
      ...(config.password ? { passwordEncrypted: encryptSecret(config.password, env().FERRY_SECRET_KEY) } : {}),
    },
    select: { id: true },
  });
  const after = await getConnection(id);
  await recordAudit(actor, 'connection.update', 'connection', id, before, { ...after, passwordChanged: !!config.password });
  return after;
}
