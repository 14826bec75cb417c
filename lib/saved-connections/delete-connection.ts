import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import { getConnection } from './get-connection';

export async function deleteConnection(actor: Actor, id: string) {
  const before = await getConnection(id).catch(() => null);
  if (!before) throw notFound('Connection');
  const used = await prisma().mapping.count({ where: { OR: [{ sourceConnectionId: id }, { targetConnectionId: id }] } });
  if (used > 0) {
    throw new AppError('conflict', `This connection is used by ${used} mapping(s); delete or change them first`);
  }
  await prisma().connection.delete({ where: { id } });
  await recordAudit(actor, 'connection.delete', 'connection', id, before, null);
}
