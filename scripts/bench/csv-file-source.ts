import type { Actor } from '@/lib/auth/roles';
import type { CsvShape } from '@/lib/connectors/csv/csv-shape';
import { prisma } from '@/lib/db/client';
import { addConfirmedSourceFile } from '@/lib/file-sources/add-confirmed-source-file';

/**
 * A file source (a csv connection) with one confirmed file as table `table`, as the Files
 * page leaves it after an upload and a confirmation of the detected shape, written
 * directly: the migration is measured, not the upload (measured on its own).
 */
export async function createBenchCsvSource(actor: Actor, name: string, table: string, file: string): Promise<{ connectionId: string; shape: CsvShape }> {
  const connection = await prisma().connection.create({
    data: { name, kind: 'csv', host: '', port: 0, database: '', username: '', sslMode: 'disable', createdById: actor.id },
    select: { id: true },
  });
  const { shape } = await addConfirmedSourceFile(actor, connection.id, table, file);
  return { connectionId: connection.id, shape };
}
