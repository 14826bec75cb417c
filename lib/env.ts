import { z } from 'zod';

const envSchema = z.object({
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/ferry'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** 32 bytes, base64: encrypts connection passwords at rest (AES-256-GCM). */
  FERRY_SECRET_KEY: z.string().refine((v) => Buffer.from(v, 'base64').length === 32, {
    message: 'must be 32 bytes encoded as base64 (openssl rand -base64 32)',
  }),
  /**
   * The key being replaced, during a key rotation only: still opens what it sealed until
   * `npm run secrets:rotate` has re-encrypted everything under FERRY_SECRET_KEY. Empty = unset.
   */
  FERRY_SECRET_KEY_PREVIOUS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, { message: 'must be 32 bytes encoded as base64, like FERRY_SECRET_KEY' })
      .optional(),
  ),
  /** At least 32 characters: seals the session cookie. */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters'),
  /** Prefix for BullMQ keys, so several installations (or test runs) can share one Redis. */
  QUEUE_PREFIX: z.string().default('ferry'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /**
   * Send the session cookie only over HTTPS. Unset: on in production (NODE_ENV=production,
   * as the web server runs), off otherwise; a plain-HTTP install (the demo) says false.
   */
  COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  /** Proxies in front of the web server whose X-Forwarded-For entries are believed (lib/auth/client-address.ts). */
  FERRY_TRUSTED_PROXY_HOPS: z.coerce.number().int('must be a whole number').min(0).max(10).default(0),
  /** A session unused for this long is signed out (lib/auth/sessions.ts). */
  FERRY_SESSION_IDLE_MINUTES: z.coerce.number().int('must be a whole number').min(1).max(7 * 24 * 60).default(60),
  /**
   * Comma-separated origins users open Ferry at (https://ferry.example.com), accepted for
   * changes besides the one each request names (Host, X-Forwarded-Host and -Proto); needed
   * behind a proxy that does not forward the host and scheme (lib/http/same-origin.ts).
   */
  /**
   * The folder uploaded CSV files are stored in (and their indexes, in .indexes/). Workers
   * read the files there: on several machines it must be a shared folder mounted at the
   * same path. Relative paths are taken from the working directory.
   */
  FERRY_FILE_STORAGE: z.string().trim().min(1).default('storage/files'),
  /** The largest file an upload may be, in bytes (5 GiB by default). */
  FERRY_MAX_UPLOAD_BYTES: z.coerce.number().int('must be a whole number').min(1024).default(5 * 1024 ** 3),
  /**
   * Folders (separated by ':') admins may register files from by path, besides the storage
   * folder. Empty: the storage folder only, so no path elsewhere on the server can be read.
   */
  FERRY_FILE_IMPORT_DIRS: z.string().default(''),
  FERRY_PUBLIC_ORIGIN: z
    .string()
    .default('')
    .refine(
      (v) =>
        v
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean)
          .every((entry) => /^https?:\/\/[^/?#\s]+\/?$/i.test(entry) && URL.canParse(entry)),
      { message: 'must be comma-separated origins such as https://ferry.example.com (scheme and host, no path)' },
    ),
});

export type Env = Omit<z.infer<typeof envSchema>, 'COOKIE_SECURE'> & { COOKIE_SECURE: 'true' | 'false' };

let cached: Env | undefined;

/** The validated environment; throws one clear message naming every bad variable. */
export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Ferry's environment is incomplete (see .env.example):\n${lines.join('\n')}`);
  }
  cached = { ...parsed.data, COOKIE_SECURE: parsed.data.COOKIE_SECURE ?? (parsed.data.NODE_ENV === 'production' ? 'true' : 'false') };
  return cached;
}
