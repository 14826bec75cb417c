import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import { fileIndexFolder, registrableFolders, storedFilePath } from '../files/file-storage';
import type { RegisterSourceFileRequest, SourceFileView } from '../schemas/file-source';
import { detectSourceFileShape } from './detect-source-file-shape';
import { insertSourceFile } from './insert-source-file';
import { isInsideFolder } from './is-inside-folder';
import { shapeOfReport } from './shape-of-report';
import { toSourceFileView } from './source-file-view';

/**
 * Adds a file already on the server (too large to upload, or dropped there by another
 * system) as the next version of a table, without copying it. Only files inside the
 * registrable folders are taken, judged on the real path so a symlink cannot point out
 * of them; workers read the file where it lies.
 */
export async function registerSourceFile(connectionId: string, input: RegisterSourceFileRequest, actor: Actor): Promise<SourceFileView> {
  const source = await prisma().connection.findFirst({ where: { id: connectionId, kind: 'csv' }, select: { id: true } });
  if (!source) throw notFound('File source');
  const folders = await realFolders();
  const allowed = folders.length > 0 ? folders.join(', ') : '(none exist on this server)';
  const refuse = (why: string) =>
    new AppError('validation_failed', `The path ${why}. Files can be registered from: ${allowed}`, [{ path: 'body.path', message: `${why}; allowed folders: ${allowed}` }]);

  if (!path.isAbsolute(input.path)) throw refuse('must be absolute');
  let real: string;
  try {
    real = await realpath(input.path);
  } catch {
    throw refuse('names no file');
  }
  if (!folders.some((folder) => isInsideFolder(real, folder))) throw refuse('is outside the folders files may be registered from');
  // Uploads and indexes are Ferry's own: a version pointing at another upload's file would lose it when that upload is deleted.
  const own = await Promise.all([storedFilePath('uploads'), fileIndexFolder()].map((folder) => realpath(folder).catch(() => folder)));
  if (own.some((folder) => isInsideFolder(real, folder))) throw refuse("is inside Ferry's own upload storage; upload the file or register a copy placed elsewhere");
  const info = await stat(real);
  if (!info.isFile()) throw refuse('is not a regular file');
  if (info.size === 0) throw refuse('names an empty file');
  try {
    await access(real, constants.R_OK);
  } catch {
    throw refuse('names a file the server may not read');
  }

  const report = await detectSourceFileShape(real);
  const row = await insertSourceFile(connectionId, {
    id: randomUUID(),
    tableName: input.tableName,
    originalName: path.basename(real),
    path: real,
    bytes: info.size,
    receivedBytes: info.size,
    status: 'uploaded',
    shape: shapeOfReport(report),
    uploadedById: actor.id,
  });
  const view = toSourceFileView(row, actor);
  await recordAudit(actor, 'source_file.register', 'source_file', row.id, null, {
    connectionId,
    tableName: row.tableName,
    version: row.version,
    path: real,
    bytes: info.size,
  });
  return view;
}

/** The registrable folders that exist, resolved like the file so a symlinked folder still matches. */
async function realFolders(): Promise<string[]> {
  const resolved = await Promise.all(registrableFolders().map((folder) => realpath(folder).catch(() => null)));
  return [...new Set(resolved.filter((folder): folder is string => folder !== null))];
}
