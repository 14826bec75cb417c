import { randomUUID } from 'node:crypto';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import type { ConnectionConfig } from '../schemas/connection-config';
import { checkedConnectionConfig } from './checked-config';
import { sealConnectionPassword } from './connection-password';
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
  sslCaCertificate: config.sslCaCertificate ?? null,
  schema: config.schema ?? null,
  // Undefined leaves the column alone: its default (UTC) on create, the stored zone on edit.
  timestampZone: config.timestampZone,
});

export async function createConnection(actor: Actor, input: ConnectionConfig) {
  const config = checkedConnectionConfig(input);
  await assertNameFree(config.name);
  // The id is the password envelope's authenticated context, so it is chosen before sealing.
  const id = randomUUID();
  const row = await prisma().connection.create({
    data: {
      id,
      ...plainFields(config),
      passwordEncrypted: config.password ? sealConnectionPassword(id, config.password) : null,
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
 * changes or its TLS gets weaker (then it must be typed again); secrets are never echoed back.
 */
export async function updateConnection(actor: Actor, id: string, input: ConnectionConfig) {
  const config = checkedConnectionConfig(input);
  const before = await getConnection(id);
  await assertNameFree(config.name, id);
  await assertStoredPasswordFits(id, config);
  await prisma().connection.update({
    where: { id },
    data: {
      ...plainFields(config),
      ...(config.password ? { passwordEncrypted: sealConnectionPassword(id, config.password) } : {}),
    },
    select: { id: true },
  });
  const after = await getConnection(id);
  await recordAudit(actor, 'connection.update', 'connection', id, before, { ...after, passwordChanged: !!config.password });
  return after;
}
