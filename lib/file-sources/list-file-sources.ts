import { prisma, type Prisma } from '../db/client';
import type { Actor } from '../auth/roles';
import type { FileSourceView } from '../schemas/file-source';
import { sourceFileViewSelect, toSourceFileView } from './source-file-view';

export const fileSourceViewSelect = {
  id: true,
  name: true,
  createdAt: true,
  files: { select: sourceFileViewSelect, orderBy: [{ tableName: 'asc' }, { version: 'desc' }] },
} satisfies Prisma.ConnectionSelect;

export async function listFileSources(viewer: Pick<Actor, 'role'>): Promise<FileSourceView[]> {
  const rows = await prisma().connection.findMany({ where: { kind: 'csv' }, select: fileSourceViewSelect, orderBy: { name: 'asc' } });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    files: row.files.map((file) => toSourceFileView(file, viewer)),
  }));
}
