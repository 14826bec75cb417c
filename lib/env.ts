import { z } from 'zod';

const envSchema = z.object({
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/ferry'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  /** 32 bytes, base64: encrypts connection passwords at rest (AES-256-GCM). */
  FERRY_SECRET_KEY: z.string().refine((v) => Buffer.from(v, 'base64').length === 32, {
    message: 'must be 32 bytes encoded as base64 (openssl rand -base64 32)',
  }),
  /** At least 32 characters: seals the session cookie. */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters'),
  /** Prefix for BullMQ keys, so several installations (or test runs) can share one Redis. */
  QUEUE_PREFIX: z.string().default('ferry'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Send the session cookie only over HTTPS. Off for plain-HTTP local installs. */
  COOKIE_SECURE: z.enum(['true', 'false']).default('false'),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** The validated environment; throws one clear message naming every bad variable. */
export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Ferry's environment is incomplete (see .env.example):\n${lines.join('\n')}`);
  }
  cached = parsed.data;
  return cached;
}
