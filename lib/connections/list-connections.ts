import { prisma } from '../db/client';
import { notFound } from '../errors';
import { connectionViewSelect, toConnectionView } from './connection-view';

// `hasPassword` is computed in SQL so the ciphertext is never loaded for a view.
async function hasPasswordById(ids: string[]): Promise<Set<string>> {
  const rows = await prisma().connection.findMany({
    where: { id: { in: ids }, passwordEncrypted: { not: null } },
    select: { id: true },
  });
  return new Set(rows.map((r) => r.id));
}

export async function listConnections() {
  const rows = await prisma().connection.findMany({ select: connectionViewSelect, orderBy: { name: 'asc' } });
  const withPassword = await hasPasswordById(rows.map((r) => r.id));
  return rows.map((r) => toConnectionView(r, withPassword.has(r.id)));
}

export async function getConnection(id: string) {
  const row = await prisma().connection.findUnique({ where: { id }, select: connectionViewSelect });
  if (!row) throw notFound('Connection');
  return toConnectionView(row, (await hasPasswordById([id])).has(id));
}
