import { AppError } from '../errors';

/**
 * Request bodies: JSON only, and never more than a route's limit in memory. Only JSON:
 * a page on another site can send a form or `text/plain` without asking (a "simple"
 * request), but not `application/json`, which needs a CORS preflight that Ferry never
 * grants; so a body route refusing everything else cannot be reached by such a page at all,
 * whatever headers a browser omits.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

/** Body limits in bytes. */
export const bodyLimits = {
  /** Routes anyone may call (sign-in): an email and a password fit many times over. */
  public: 8 * KiB,
  /** Every signed-in route unless it says otherwise (connections, users, jobs, error rows). */
  signedIn: 1 * MiB,
  /**
   * Routes carrying a whole mapping spec: 500 fields with four transforms each and ten
   * 250-entry value maps are 0.2 MB; one value map at its 10,000-entry maximum adds 0.5 MB.
   */
  mappingSpec: 4 * MiB,
} as const;

const formatBytes = (bytes: number) => (bytes >= MiB ? `${+(bytes / MiB).toFixed(1)} MiB` : bytes >= KiB ? `${+(bytes / KiB).toFixed(1)} KiB` : `${bytes} bytes`);

export function tooLarge(limit: number): AppError {
  return new AppError('payload_too_large', `The request body is larger than this route accepts (${formatBytes(limit)})`);
}

/** `application/json`, with at most a UTF-8 charset parameter. */
export function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  const [mediaType, ...parameters] = value.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  return parameters.every((parameter) => {
    if (parameter === '') return true;
    const [name, raw = ''] = parameter.split('=').map((part) => part.trim());
    return name === 'charset' && ['utf-8', 'utf8'].includes(raw.replace(/^"(.*)"$/, '$1'));
  });
}

/**
 * Throws 415 unless the request's content type is JSON. A route that reads no body still
 * refuses any other declared type, so a cross-site form cannot reach it either; sending
 * no Content-Type at all (no body) is fine there.
 */
export function assertJsonContentType(headers: Headers, readsBody: boolean): void {
  const contentType = headers.get('content-type');
  if (isJsonContentType(contentType)) return;
  if (contentType === null && !readsBody) return;
  const sent = contentType === null ? 'no Content-Type' : `Content-Type ${JSON.stringify(contentType.slice(0, 100))}`;
  throw new AppError(
    'unsupported_media_type',
    readsBody
      ? `The request body must be JSON sent as Content-Type: application/json (got ${sent})`
      : `This request takes no body; send none, or JSON as Content-Type: application/json (got ${sent})`,
  );
}

/** Types a page on another site may send without a CORS preflight: never accepted as a raw body. */
const simpleRequestTypes = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/**
 * Throws 415 unless the request's media type is one of `allowed` (parameters ignored).
 * For routes taking bytes rather than JSON; a type that needs no preflight is refused
 * even if listed, so the rule above (no cross-site page reaches a body route) holds.
 */
export function assertRawContentType(headers: Headers, allowed: readonly string[]): void {
  const contentType = headers.get('content-type');
  const mediaType = contentType?.split(';')[0].trim().toLowerCase() ?? '';
  if (allowed.includes(mediaType) && !simpleRequestTypes.has(mediaType)) return;
  const sent = contentType === null ? 'no Content-Type' : `Content-Type ${JSON.stringify(contentType.slice(0, 100))}`;
  throw new AppError('unsupported_media_type', `The request body must be sent as Content-Type: ${allowed.join(' or ')} (got ${sent})`);
}

/** Throws 413 when the request declares a Content-Length above the limit, before anything is read. */
export function assertDeclaredLength(headers: Headers, maxBytes: number): void {
  const declared = headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared.trim()) > maxBytes) throw tooLarge(maxBytes);
}

/**
 * Reads the body as JSON, counting bytes as they arrive: past `maxBytes` the stream is
 * cancelled and 413 thrown, so a chunked body without a length cannot fill memory either.
 */
export async function readJsonBody(request: { headers: Headers; body: ReadableStream<Uint8Array> | null }, maxBytes: number): Promise<unknown> {
  assertDeclaredLength(request.headers, maxBytes);
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('bad_request', 'The request body must be JSON encoded as UTF-8');
  }
  if (text.trim() === '') throw new AppError('bad_request', 'The request body must be JSON (it was empty)');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('bad_request', 'The request body must be JSON (it could not be parsed)');
  }
}
