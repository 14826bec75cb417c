import { prisma } from '../db/client';
import { notFound } from '../errors';
import type { Actor } from '../auth/roles';
import type { FileSourceView } from '../schemas/file-source';
import { fileSourceViewSelect } from './list-file-sources';
import { toSourceFileView } from './source-file-view';

/** A file source with all its files; a database connection's id is not found here. */
export async function getFileSource(id: string, viewer: Pick<Actor, 'role'>): Promise<FileSourceView> {
  const row = await prisma().connection.findFirst({ where: { id, kind: 'csv' }, select: fileSourceViewSelect });
  if (!row) throw notFound('File source');
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    files: row.files.map((file) => toSourceFileView(file, viewer)),
  };
}
