/**
 * Settings of the benchmarks: their own metadata database, queue prefix and data databases,
 * so a running demo or test suite is never touched. Import this module first: lib/ reads
 * the environment lazily (env()), and spawned workers inherit process.env.
 */
const forced: Record<string, string> = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/ferry_bench',
  QUEUE_PREFIX: 'ferry_bench',
  // Throwaway keys, like the tests': they only encrypt connection passwords in ferry_bench.
  FERRY_SECRET_KEY: 'dGVzdC1vbmx5LWtleS1mb3ItZmVycnktdGVzdHMhISE=',
  SESSION_SECRET: 'test-only-session-secret-for-ferry-tests-0123456789',
};
for (const [key, value] of Object.entries(forced)) process.env[key] = value;
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';

export const BENCH = {
  metadataUrl: forced.DATABASE_URL,
  queuePrefix: forced.QUEUE_PREFIX,
  /** Legacy CRM in MariaDB, filled by scripts/demo-data/load-demo-data.ts. */
  legacyMaria: 'legacy_crm_bench',
  /** The same customers in PostgreSQL (scripts/bench/pg-legacy-copy.ts). */
  legacyPg: 'legacy_crm_bench_pg',
  /** New CRM in PostgreSQL: contacts (migration target) and contacts_baseline. */
  target: 'new_crm_bench',
} as const;

export const PG_URL = (database: string) => `postgresql://postgres@127.0.0.1:5432/${database}`;
export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };

/** Progress and diagnostics: stderr, so stdout carries only the JSON result lines. */
export const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** A command-line count such as --customers 1_000_000. */
export const positiveInt = (name: string, text: string): number => {
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${text}"`);
  return n;
};
