import { prisma } from '../db/client';
import { notFound } from '../errors';
import type { CsvSourceFile, ResolvedConnection } from '../schemas/connection-config';
import { csvShapeSchema } from '../connectors/csv/csv-shape';
import { fileIndexFolder, storedFilePath } from '../files/file-storage';
import { openConnectionPassword } from './connection-password';

/** Server-only: the connection with its password decrypted, ready for a connector. */
export async function resolveConnection(id: string): Promise<ResolvedConnection> {
  const row = await prisma().connection.findUnique({
    where: { id },
    select: {
      kind: true,
      host: true,
      port: true,
      database: true,
      username: true,
      passwordEncrypted: true,
      sslMode: true,
      sslCaCertificate: true,
      schema: true,
      timestampZone: true,
    },
  });
  if (!row) throw notFound('Connection');
  return {
    kind: row.kind,
    host: row.host,
    port: row.port,
    database: row.database,
    username: row.username,
    password: row.passwordEncrypted ? openConnectionPassword(id, row.passwordEncrypted) : null,
    sslMode: row.sslMode,
    sslCaCertificate: row.sslCaCertificate ?? undefined,
    schema: row.schema ?? undefined,
    timestampZone: row.timestampZone,
    files: row.kind === 'csv' ? await readyFilesOf(id) : undefined,
  };
}

/** A file source's tables: the confirmed (ready) version of each file. */
async function readyFilesOf(connectionId: string): Promise<CsvSourceFile[]> {
  const rows = await prisma().sourceFile.findMany({ where: { connectionId, status: 'ready' }, select: csvSourceFileColumns, orderBy: { tableName: 'asc' } });
  return rows.map(csvSourceFileOf);
}

/** What a connector needs of a source_files row. */
export const csvSourceFileColumns = { id: true, tableName: true, version: true, path: true, shape: true, fingerprint: true } as const;

/** A confirmed source_files row as the CSV connector reads it. */
export function csvSourceFileOf(row: { id: string; tableName: string; version: number; path: string; shape: unknown; fingerprint: string | null }): CsvSourceFile {
  return {
    id: row.id,
    table: row.tableName,
    version: row.version,
    path: storedFilePath(row.path),
    shape: csvShapeSchema.parse(row.shape),
    fingerprint: row.fingerprint ?? '',
    indexFolder: fileIndexFolder(),
  };
}
