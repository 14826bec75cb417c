import { prisma } from '../db/client';
import { connectionViewSelect, toConnectionView } from './connection-view';
import { hasPasswordById } from './has-password';

export async function listConnections() {
  const rows = await prisma().connection.findMany({ select: connectionViewSelect, orderBy: { name: 'asc' } });
  const withPassword = await hasPasswordById(rows.map((r) => r.id));
  return rows.map((r) => toConnectionView(r, withPassword.has(r.id)));
}
