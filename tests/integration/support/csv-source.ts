import type { Actor } from '@/lib/auth/roles';
import { prisma } from '@/lib/db/client';
import { addConfirmedSourceFile } from '@/lib/file-sources/add-confirmed-source-file';

/**
 * A file source (a csv connection) whose tables are these files, confirmed with their
 * detected shape: what the Files page leaves behind after an upload and a confirmation,
 * without the browser.
 */
export async function testCsvSource(actor: Actor, name: string, files: { table: string; path: string }[]) {
  const old = await prisma().connection.findUnique({ where: { name }, select: { id: true } });
  if (old) {
    await prisma().mapping.deleteMany({ where: { sourceConnectionId: old.id } });
    await prisma().connection.delete({ where: { id: old.id } });
  }
  const connection = await prisma().connection.create({
    data: { name, kind: 'csv', host: '', port: 0, database: '', username: '', sslMode: 'disable', createdById: actor.id },
  });
  for (const file of files) await addCsvVersion(actor, connection.id, file);
  return connection;
}

/** A new confirmed version of a table of a file source; the earlier one is replaced. */
export async function addCsvVersion(actor: Actor, connectionId: string, file: { table: string; path: string }) {
  return (await addConfirmedSourceFile(actor, connectionId, file.table, file.path)).shape;
}
