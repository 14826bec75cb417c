import { open, stat } from 'node:fs/promises';
import type { Actor } from '@/lib/auth/roles';
import { fingerprintOf } from '@/lib/connectors/csv/csv-key-index';
import type { CsvShape } from '@/lib/connectors/csv/csv-shape';
import { detectCsvShape } from '@/lib/connectors/csv/detect-csv-shape';
import { prisma } from '@/lib/db/client';

/**
 * A file source (a csv connection) whose tables are these files, confirmed with their
 * detected shape (changed by `adjust`): what the Files page leaves behind after an upload
 * and a confirmation, without the browser.
 */
export async function testCsvSource(actor: Actor, name: string, files: { table: string; path: string; adjust?: (shape: CsvShape) => CsvShape }[]) {
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
export async function addCsvVersion(actor: Actor, connectionId: string, file: { table: string; path: string; adjust?: (shape: CsvShape) => CsvShape }) {
  const info = await stat(file.path);
  const handle = await open(file.path, 'r');
  const head = Buffer.alloc(Math.min(info.size, 1024 * 1024));
  await handle.read(head, 0, head.length, 0);
  await handle.close();
  const { preview: _preview, leadingRecords: _leading, choices: _choices, ...detected } = detectCsvShape(head, {}, { truncated: info.size > head.length });
  const shape = file.adjust ? file.adjust(detected) : detected;
  const last = await prisma().sourceFile.findFirst({ where: { connectionId, tableName: file.table }, orderBy: { version: 'desc' } });
  await prisma().$transaction([
    prisma().sourceFile.updateMany({ where: { connectionId, tableName: file.table, status: 'ready' }, data: { status: 'replaced' } }),
    prisma().sourceFile.create({
      data: {
        connectionId,
        tableName: file.table,
        version: (last?.version ?? 0) + 1,
        originalName: file.path.split('/').pop() ?? file.table,
        path: file.path,
        bytes: info.size,
        receivedBytes: info.size,
        status: 'ready',
        shape,
        fingerprint: fingerprintOf(info.size, info.mtimeMs),
        uploadedById: actor.id,
        confirmedAt: new Date(),
      },
    }),
    prisma().connection.update({ where: { id: connectionId }, data: { updatedAt: new Date() } }),
  ]);
  return shape;
}
