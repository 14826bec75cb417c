import { rm } from 'node:fs/promises';
import path from 'node:path';
import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import { storedFilePath } from '../files/file-storage';
import { sourceFileViewSelect, toSourceFileView } from './source-file-view';

/**
 * Removes a version that no table reads: an abandoned or unconfirmed upload, or one a
 * newer version replaced. An uploaded file goes from the disk too; a registered one stays
 * where it was (Ferry never owned it). The ready version is refused: replace it instead.
 */
export async function deleteSourceFile(id: string, actor: Actor): Promise<void> {
  const row = await prisma().$transaction(async (tx) => {
    const found = await tx.sourceFile.findUnique({ where: { id }, select: sourceFileViewSelect });
    if (!found) throw notFound('File');
    if (found.status === 'ready') {
      throw new AppError('conflict', `Version ${found.version} is the one table "${found.tableName}" reads; upload and confirm a new version to replace it, then delete this one`);
    }
    // Conditional: a confirmation that made it ready meanwhile wins over the delete.
    const deleted = await tx.sourceFile.deleteMany({ where: { id, status: found.status } });
    if (deleted.count === 0) throw new AppError('conflict', 'The file changed meanwhile; reload and try again');
    return found;
  });
  if (!path.isAbsolute(row.path)) await rm(storedFilePath(row.path), { force: true });
  await recordAudit(actor, 'source_file.delete', 'source_file', id, toSourceFileView(row, { role: 'admin' }), null);
}
