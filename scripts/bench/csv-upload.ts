import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { storedFilePath } from '@/lib/files/file-storage';
import { prisma } from '@/lib/db/client';
import { log } from './bench-env';
import { TreeRssSampler, type WebServer } from './csv-web-server';

const MiB = 1024 * 1024;

/** A signed-in API client of a running web server, as a browser page of Ferry's own origin calls it. */
export class FerryApiClient {
  private cookie = '';

  constructor(private readonly origin: string) {}

  async signIn(email: string, password: string): Promise<void> {
    const response = await this.request('POST', '/api/auth/login', { json: { email, password } });
    const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0]);
    if (cookies.length === 0) throw new Error('sign-in set no session cookie');
    this.cookie = cookies.join('; ');
  }

  async request(method: string, url: string, body: { json?: unknown; bytes?: Uint8Array<ArrayBuffer> } = {}): Promise<Response> {
    const headers: Record<string, string> = { origin: this.origin };
    if (this.cookie) headers.cookie = this.cookie;
    let payload: string | Uint8Array<ArrayBuffer> | undefined;
    if (body.json !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body.bytes) {
      headers['content-type'] = 'application/octet-stream';
      payload = body.bytes;
    }
    const response = await fetch(`${this.origin}${url}`, { method, headers, body: payload });
    if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
    return response;
  }

  async json<T>(method: string, url: string, body?: unknown): Promise<T> {
    return (await this.request(method, url, { json: body })).json() as Promise<T>;
  }
}

export interface UploadResult {
  bytes: number;
  seconds: number;
  mbPerSecond: number;
  /** Sum of VmRSS over the web server's process tree, sampled every 100 ms during the upload. */
  peakWebRssMb: number;
  idleWebRssMb: number;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of createReadStream(file, { highWaterMark: 4 * MiB })) hash.update(piece as Buffer);
  return hash.digest('hex');
}

/**
 * Uploads `file` through the chunked upload API (a file source, an upload of the declared
 * size, then PUT …/content?offset=N with `chunkBytes` per request, one after the other as
 * the Files page sends them) while sampling the web server's memory, and checks that the
 * stored copy is the file, byte for byte. The stored copy is deleted afterwards.
 */
export async function measureUpload(server: WebServer, file: string, credentials: { email: string; password: string }, chunkBytes: number): Promise<UploadResult> {
  const api = new FerryApiClient(server.origin);
  await api.signIn(credentials.email, credentials.password);
  const { fileSource } = await api.json<{ fileSource: { id: string } }>('POST', '/api/file-sources', { name: `bench upload ${new Date().toISOString()}` });
  const { size } = await stat(file);
  const { file: upload } = await api.json<{ file: { id: string } }>('POST', `/api/file-sources/${fileSource.id}/files`, {
    tableName: 'customers_upload',
    originalName: path.basename(file),
    bytes: size,
  });

  // Settle after sign-in and the first requests (route compilation is done at build time; this is the idle server).
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const rss = new TreeRssSampler(server.pid, 100);
  const idleWebRssMb = rss.nowMb();
  log(`upload: ${(size / 1024 ** 3).toFixed(3)} GiB in ${Math.ceil(size / chunkBytes)} chunks of ${chunkBytes / MiB} MiB; web server RSS before: ${idleWebRssMb.toFixed(0)} MB (${rss.processCount()} process(es))`);
  const handle = await open(file, 'r');
  const buffer = new Uint8Array(new ArrayBuffer(chunkBytes));
  const started = performance.now();
  let lastLog = started;
  let status = 'uploading';
  let peakWebRssMb: number;
  try {
    for (let offset = 0; offset < size; ) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(chunkBytes, size - offset), offset);
      const progress = await (await api.request('PUT', `/api/source-files/${upload.id}/content?offset=${offset}`, { bytes: buffer.subarray(0, bytesRead) })).json() as { receivedBytes: number; status: string };
      if (progress.receivedBytes !== offset + bytesRead) throw new Error(`after the chunk at ${offset} the server stands at ${progress.receivedBytes}, not ${offset + bytesRead}`);
      offset = progress.receivedBytes;
      status = progress.status;
      const now = performance.now();
      if (now - lastLog > 10_000) {
        lastLog = now;
        log(`  … ${(offset / MiB).toFixed(0)} MiB sent, ${(offset / MiB / ((now - started) / 1000)).toFixed(0)} MB/s; web RSS ${rss.nowMb().toFixed(0)} MB`);
      }
    }
  } finally {
    peakWebRssMb = rss.stop();
    await handle.close();
  }
  const seconds = (performance.now() - started) / 1000;
  if (status !== 'uploaded') throw new Error(`the last chunk left the upload ${status}, not uploaded`);

  const row = await prisma().sourceFile.findUniqueOrThrow({ where: { id: upload.id }, select: { path: true, status: true, shape: true } });
  const stored = storedFilePath(row.path);
  const [sent, kept] = await Promise.all([sha256(file), sha256(stored)]);
  if (sent !== kept) throw new Error(`the stored file ${stored} differs from the file sent (sha256 ${kept} ≠ ${sent})`);
  const columns = (row.shape as { columns?: unknown[] } | null)?.columns?.length ?? 0;
  log(`upload: ${seconds.toFixed(1)} s, ${(size / MiB / seconds).toFixed(1)} MB/s; stored copy identical (sha256); status ${row.status}, detected shape: ${columns} columns; web server peak RSS during the upload ${peakWebRssMb.toFixed(0)} MB`);
  await api.request('DELETE', `/api/source-files/${upload.id}`).catch((error: Error) => log(`WARNING: could not delete the uploaded file through the API: ${error.message}`));
  return { bytes: size, seconds, mbPerSecond: size / MiB / seconds, peakWebRssMb, idleWebRssMb };
}
