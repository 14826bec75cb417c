import { prisma } from '../db/client';
import { notFound } from '../errors';
import { connectionViewSelect, toConnectionView } from './connection-view';
import { hasPasswordById } from './has-password';

export async function getConnection(id: string) {
  const row = await prisma().connection.findUnique({ where: { id }, select: connectionViewSelect });
  if (!row) throw notFound('Connection');
  return toConnectionView(row, (await hasPasswordById([id])).has(id));
}
