import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors';
import type { Actor } from '../auth/roles';
import { maxUploadBytes, storedFilePath } from '../files/file-storage';
import type { CreateUploadRequest, SourceFileView } from '../schemas/file-source';
import { insertSourceFile } from './insert-source-file';
import { toSourceFileView } from './source-file-view';

const GiB = 1024 ** 3;
export const formatGiB = (bytes: number) => `${+(bytes / GiB).toFixed(2)} GiB`;

/**
 * Opens a chunked upload: a row (status uploading, the next version of the table) and an
 * empty file in the storage folder the chunks are written into (append-source-file-chunk.ts).
 */
export async function createSourceFileUpload(connectionId: string, input: CreateUploadRequest, actor: Actor): Promise<SourceFileView> {
  const limit = maxUploadBytes();
  if (input.bytes > limit) {
    throw new AppError('payload_too_large', `The file is ${formatGiB(input.bytes)}; uploads may be at most ${formatGiB(limit)}`, [
      { path: 'body.bytes', message: `must be at most ${formatGiB(limit)} (${limit} bytes)` },
    ]);
  }
  const id = randomUUID();
  const relative = path.posix.join('uploads', `${id}.csv`);
  const absolute = storedFilePath(relative);
  await mkdir(path.dirname(absolute), { recursive: true });
  // 'wx': a fresh id never names an existing file; if it somehow did, nothing is overwritten.
  await writeFile(absolute, new Uint8Array(0), { flag: 'wx' });
  try {
    const row = await insertSourceFile(connectionId, {
      id,
      tableName: input.tableName,
      originalName: input.originalName,
      path: relative,
      bytes: input.bytes,
      receivedBytes: 0,
      status: 'uploading',
      shape: undefined,
      uploadedById: actor.id,
    });
    return toSourceFileView(row, actor);
  } catch (error) {
    await rm(absolute, { force: true });
    throw error;
  }
}
