import { prisma } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import type { CreateFileSourceRequest, FileSourceView } from '../schemas/file-source';

/**
 * A file source is a connection of kind csv, so mappings, jobs and the connector registry
 * treat it like any other source; the database fields are unused and left empty.
 */
export async function createFileSource(input: CreateFileSourceRequest, actor: Actor): Promise<FileSourceView> {
  let row: { id: string; name: string; createdAt: Date };
  try {
    row = await prisma().connection.create({
      data: { name: input.name, kind: 'csv', host: '', port: 0, database: '', username: '', sslMode: 'disable', createdById: actor.id },
      select: { id: true, name: true, createdAt: true },
    });
  } catch (error) {
    // Connection names are unique across databases and file sources: mappings pick sources by name.
    if ((error as { code?: string }).code === 'P2002') {
      throw new AppError('conflict', `A connection or file source named "${input.name}" exists`, [{ path: 'body.name', message: 'is taken' }]);
    }
    throw error;
  }
  const view: FileSourceView = { id: row.id, name: row.name, createdAt: row.createdAt.toISOString(), files: [] };
  await recordAudit(actor, 'file_source.create', 'connection', row.id, null, { id: row.id, name: row.name, kind: 'csv' });
  return view;
}
