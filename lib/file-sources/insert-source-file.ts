import { prisma, type Prisma } from '../db/client';
import { notFound } from '../errors';
import type { SourceFileStatus } from '../schemas/file-source';
import { sourceFileViewSelect, type SourceFileRow } from './source-file-view';

export interface NewSourceFile {
  id: string;
  tableName: string;
  originalName: string;
  path: string;
  bytes: number;
  receivedBytes: number;
  status: SourceFileStatus;
  shape: Prisma.InputJsonValue | undefined;
  uploadedById: string;
}

/**
 * Adds the next version of a table to a file source. The source's row is locked while the
 * version is chosen, so two uploads of the same table at once get versions n and n+1
 * rather than one of them failing on the unique (connection, table, version).
 */
export async function insertSourceFile(connectionId: string, file: NewSourceFile): Promise<SourceFileRow> {
  return prisma().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM connections WHERE id = ${connectionId} AND kind = 'csv' FOR UPDATE`;
    if (locked.length === 0) throw notFound('File source');
    const latest = await tx.sourceFile.aggregate({ where: { connectionId, tableName: file.tableName }, _max: { version: true } });
    return tx.sourceFile.create({
      data: { ...file, connectionId, version: (latest._max.version ?? 0) + 1 },
      select: sourceFileViewSelect,
    });
  });
}
