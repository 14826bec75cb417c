/** 16 MiB: large enough that the per-request cost vanishes, small enough that a failure costs little. */
export const CHUNK_BYTES = 16 * 1024 * 1024;
/** Retries of one chunk after a network failure or a 5xx, with doubling back-off, before asking the user. */
export const CHUNK_RETRIES = 3;
const FIRST_BACKOFF_MS = 1000;

export interface ChunkProgress {
  /** Bytes the server has confirmed. */
  sent: number;
  total: number;
  /** Over this run of the upload (a resumed upload starts measuring again). */
  bytesPerSecond: number | null;
  secondsLeft: number | null;
  /** Set while a failed chunk waits for its next attempt. */
  retry: { attempt: number; message: string } | null;
}

/** The upload stopped at `offset`: resumable there unless `final` (the server refused the file itself). */
export class UploadStopped extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly final: boolean,
  ) {
    super(message);
  }
}

interface ErrorPayload {
  error?: { code?: string; message?: string; expectedOffset?: number; details?: { expectedOffset?: number }; issues?: { path: string; message: string }[] };
}

/** The offset a 409 tells the client to continue from, wherever the server put it. */
function expectedOffsetOf(payload: ErrorPayload | null): number | null {
  const error = payload?.error;
  // The issue on query.offset says it in words too ("must be N, …"), should the field be absent.
  const fromIssue = error?.issues?.find((i) => i.path === 'query.offset')?.message.match(/^must be (\d+)\b/)?.[1];
  const value = error?.expectedOffset ?? error?.details?.expectedOffset ?? (fromIssue === undefined ? undefined : Number(fromIssue));
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Sends `file` to a source file's content from `offset`, one slice at a time: only one
 * chunk is ever held by the browser (File.slice is lazy). A network failure or a 5xx is
 * retried with back-off; a 409 means the server holds a different number of bytes than
 * we thought (another tab, a lost answer), and the upload continues where it says.
 * Resolves with the bytes received when the whole file is there; throws UploadStopped.
 */
export async function sendFileChunks(options: {
  fileId: string;
  file: Blob;
  offset: number;
  signal: AbortSignal;
  onProgress: (progress: ChunkProgress) => void;
}): Promise<number> {
  const { fileId, file, signal, onProgress } = options;
  const total = file.size;
  const startedAt = performance.now();
  const startOffset = options.offset;
  let offset = options.offset;
  let failures = 0;

  const report = (retry: ChunkProgress['retry']) => {
    const seconds = (performance.now() - startedAt) / 1000;
    const bytesPerSecond = seconds > 0.05 && offset > startOffset ? (offset - startOffset) / seconds : null;
    onProgress({ sent: offset, total, bytesPerSecond, secondsLeft: bytesPerSecond ? (total - offset) / bytesPerSecond : null, retry });
  };
  report(null);

  // An empty file still needs its one (empty) request for the server to mark it received.
  let answered = false;
  while (!answered || offset < total) {
    if (signal.aborted) throw new UploadStopped('Upload cancelled', offset, true);
    const chunk = file.slice(offset, Math.min(offset + CHUNK_BYTES, total));
    let response: Response;
    try {
      response = await fetch(`/api/source-files/${fileId}/content?offset=${offset}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream' },
        body: chunk,
        credentials: 'same-origin',
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw new UploadStopped('Upload cancelled', offset, true);
      await failed(`the connection failed (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const payload = (await response.json().catch(() => null)) as (ErrorPayload & { receivedBytes?: number }) | null;
    if (response.ok) {
      answered = true;
      failures = 0;
      offset = typeof payload?.receivedBytes === 'number' ? payload.receivedBytes : offset + chunk.size;
      report(null);
      continue;
    }
    const message = payload?.error?.message ?? `the server answered ${response.status}`;
    if (response.status === 409) {
      const expected = expectedOffsetOf(payload);
      if (expected !== null && expected !== offset) {
        // Not a failure of ours, but bounded all the same so two tabs cannot ping-pong forever.
        failures += 1;
        if (failures > CHUNK_RETRIES) throw new UploadStopped(message, offset, false);
        offset = expected;
        answered = true;
        report(null);
        continue;
      }
      // The server stands where we do: another request for this file (our earlier try, still streaming) holds it.
      if (expected === offset) {
        await failed(message);
        continue;
      }
      throw new UploadStopped(message, offset, true);
    }
    if (response.status === 401) {
      window.location.assign('/login');
      throw new UploadStopped('Signed out', offset, false);
    }
    // Any other 4xx is about the file or the request, which sending again cannot change.
    if (response.status < 500 && response.status !== 408 && response.status !== 429) throw new UploadStopped(message, offset, true);
    await failed(message);
  }
  return offset;

  async function failed(message: string) {
    failures += 1;
    if (failures > CHUNK_RETRIES) throw new UploadStopped(`Upload interrupted: ${message}`, offset, false);
    report({ attempt: failures, message });
    await sleep(FIRST_BACKOFF_MS * 2 ** (failures - 1), signal);
  }
}
