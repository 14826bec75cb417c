import { open } from 'node:fs/promises';
import { prisma, type Prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import { storedFilePath } from '../files/file-storage';
import type { UploadProgress } from '../schemas/file-source';
import { detectSourceFileShape } from './detect-source-file-shape';
import { shapeOfReport } from './shape-of-report';
import { UploadOffsetError } from './upload-offset-error';

const MiB = 1024 * 1024;
/** The most one request may carry: a lost chunk costs at most this much again. */
export const MAX_CHUNK_BYTES = 64 * MiB;

/**
 * Files with a chunk being written by this process. A second request for the same file
 * (a client retrying while its first try still streams) is refused rather than let two
 * writers overlap in the file; across processes the conditional update below decides.
 */
const writing = new Set<string>();

/**
 * Writes one chunk of an upload at `offset`, which must be the bytes received so far, as
 * it arrives: at most a MiB is held before it is written, and nothing more is read until
 * it is, so memory stays flat whatever the chunk's size. The row counts the bytes only
 * once they are written; a chunk that fails half way (the client went away, it ran past
 * the declared size) is cut off the file again and counts for nothing, to be sent again
 * whole. The last chunk completes the upload: the file's shape is detected and stored for
 * the analyst to confirm.
 */
export async function appendSourceFileChunk(id: string, offset: number, body: ReadableStream<Uint8Array> | null, actor: Actor): Promise<UploadProgress> {
  const refuse = (error: AppError): never => {
    void body?.cancel().catch(() => undefined);
    throw error;
  };
  const row = await prisma().sourceFile.findUnique({
    where: { id },
    select: { connectionId: true, tableName: true, version: true, originalName: true, path: true, bytes: true, receivedBytes: true, status: true },
  });
  if (!row) return refuse(notFound('File'));
  const received = Number(row.receivedBytes);
  const total = Number(row.bytes);
  if (row.status !== 'uploading') return refuse(new UploadOffsetError(`This upload is complete (${row.status}): it takes no more bytes`, received));
  if (offset !== received) return refuse(new UploadOffsetError(`The upload stands at byte ${received}, not ${offset}: send the bytes from there`, received));
  if (writing.has(id)) return refuse(new UploadOffsetError('Another chunk of this file is being written: wait for its answer, then send from the offset it gives', received));

  writing.add(id);
  try {
    const file = storedFilePath(row.path);
    const room = Math.min(MAX_CHUNK_BYTES, total - offset);
    const tooMuch =
      room < MAX_CHUNK_BYTES
        ? new AppError('payload_too_large', `The chunk goes past the file's declared size (${total} bytes, ${received} received)`, [
            { path: 'body', message: `must be at most ${total - offset} bytes from offset ${offset}` },
          ])
        : new AppError('payload_too_large', `A chunk may be at most ${MAX_CHUNK_BYTES / MiB} MiB`, [{ path: 'body', message: `must be at most ${MAX_CHUNK_BYTES} bytes` }]);
    const written = await writeChunkAt(file, offset, body, room, tooMuch);
    if (written === 0) throw new AppError('bad_request', 'The chunk is empty: send the bytes from the offset as the request body', [{ path: 'body', message: 'is empty' }]);
    const now = offset + written;
    const complete = now === total;
    let shape: Prisma.InputJsonValue | undefined;
    if (complete) shape = await detectedShape(file);
    const updated = await prisma().sourceFile.updateMany({
      where: { id, status: 'uploading', receivedBytes: BigInt(offset) },
      data: { receivedBytes: BigInt(now), ...(complete ? { status: 'uploaded', shape } : {}) },
    });
    if (updated.count === 0) {
      const current = await prisma().sourceFile.findUnique({ where: { id }, select: { receivedBytes: true } });
      if (!current) throw notFound('File');
      throw new UploadOffsetError('Another request wrote this part of the file first: resume from the offset it reached', Number(current.receivedBytes));
    }
    if (complete) {
      await recordAudit(actor, 'source_file.upload', 'source_file', id, null, {
        connectionId: row.connectionId,
        tableName: row.tableName,
        version: row.version,
        originalName: row.originalName,
        bytes: total,
      });
    }
    return { receivedBytes: now, status: complete ? 'uploaded' : 'uploading' };
  } finally {
    writing.delete(id);
  }
}

/** Pieces of a body are gathered up to this much before a write: one system call per MiB, not per 64 KiB. */
const WRITE_BYTES = 1024 * 1024;

async function writeChunkAt(file: string, offset: number, body: ReadableStream<Uint8Array> | null, room: number, tooMuch: AppError): Promise<number> {
  if (!body) return 0;
  const reader = body.getReader();
  const handle = await open(file, 'r+');
  const pending = Buffer.allocUnsafe(WRITE_BYTES);
  let filled = 0;
  let written = 0;
  const flush = async () => {
    let at = 0;
    while (at < filled) {
      const { bytesWritten } = await handle.write(pending, at, filled - at, offset + written + at);
      at += bytesWritten;
    }
    written += filled;
    filled = 0;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (written + filled + value.byteLength > room) throw tooMuch;
      let taken = 0;
      while (taken < value.byteLength) {
        const n = Math.min(value.byteLength - taken, WRITE_BYTES - filled);
        pending.set(value.subarray(taken, taken + n), filled);
        filled += n;
        taken += n;
        if (filled === WRITE_BYTES) await flush();
      }
    }
    await flush();
    return written;
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    await handle.truncate(offset).catch(() => undefined);
    throw error;
  } finally {
    await handle.close();
  }
}

/** A file whose start cannot be read as CSV at all still completes: the analyst sees no shape and can delete it. */
async function detectedShape(file: string): Promise<Prisma.InputJsonValue | undefined> {
  try {
    return shapeOfReport(await detectSourceFileShape(file));
  } catch (error) {
    console.error('[file-sources] shape detection failed', { file, error: (error as Error).message });
    return undefined;
  }
}
