import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import { getConnection } from './get-connection';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { storedFilePath } from '../files/file-storage';

export async function deleteConnection(actor: Actor, id: string) {
  const before = await getConnection(id).catch(() => null);
  if (!before) throw notFound('Connection');
  // Mappings go with their connection (a cascade) and would take their jobs and error rows
  // along: refused while any mapping, archived ones included, uses it. The connection's row
  // is locked first, so a mapping created meanwhile waits and then fails on its foreign key.
  const uploads = await prisma().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM connections WHERE id = ${id} FOR UPDATE`;
    const used = await tx.mapping.findMany({
      where: { OR: [{ sourceConnectionId: id }, { targetConnectionId: id }] },
      orderBy: { name: 'asc' },
      select: { name: true, archivedAt: true },
    });
    if (used.length > 0) {
      const names = used.slice(0, 10).map((m) => `"${m.name}"${m.archivedAt ? ' (archived)' : ''}`);
      const more = used.length > 10 ? ` and ${used.length - 10} more` : '';
      throw new AppError('conflict', `This connection is used by ${used.length} mapping(s): ${names.join(', ')}${more}. Deleting it would erase their jobs and error rows; archive those mappings and have an admin erase them first.`);
    }
    // A file source's uploads go with it; files registered by path are the server's own and stay.
    const files = await tx.sourceFile.findMany({ where: { connectionId: id }, select: { path: true } });
    await tx.connection.delete({ where: { id } });
    return files.filter((file) => !path.isAbsolute(file.path)).map((file) => storedFilePath(file.path));
  });
  await Promise.all(uploads.map((file) => rm(file, { force: true })));
  await recordAudit(actor, 'connection.delete', 'connection', id, before, null);
}
