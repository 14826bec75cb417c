import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Actor } from '@/lib/auth/roles';
import { fingerprintOf } from '@/lib/connectors/csv/csv-key-index';
import type { CsvShape } from '@/lib/connectors/csv/csv-shape';
import { detectCsvShape } from '@/lib/connectors/csv/detect-csv-shape';
import { prisma } from '@/lib/db/client';

/**
 * A file source (a csv connection) with one confirmed file as table `table`, as the Files
 * page leaves it after an upload and a confirmation of the detected shape, written
 * directly: the migration is measured, not the upload (measured on its own).
 */
export async function createBenchCsvSource(actor: Actor, name: string, table: string, file: string): Promise<{ connectionId: string; shape: CsvShape }> {
  const info = await stat(file);
  const handle = await open(file, 'r');
  const head = Buffer.alloc(Math.min(info.size, 1024 * 1024));
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  const { preview: _preview, leadingRecords: _leading, choices: _choices, ...shape } = detectCsvShape(head, {}, { truncated: info.size > head.length });
  const connection = await prisma().connection.create({
    data: { name, kind: 'csv', host: '', port: 0, database: '', username: '', sslMode: 'disable', createdById: actor.id },
    select: { id: true },
  });
  await prisma().sourceFile.create({
    data: {
      connectionId: connection.id,
      tableName: table,
      version: 1,
      originalName: path.basename(file),
      path: file,
      bytes: info.size,
      receivedBytes: info.size,
      status: 'ready',
      shape,
      fingerprint: fingerprintOf(info.size, info.mtimeMs),
      uploadedById: actor.id,
      confirmedAt: new Date(),
    },
  });
  return { connectionId: connection.id, shape };
}
