/**
 * Settings of the CSV benchmark: a metadata database, queue prefix, new CRM and file
 * storage folder of its own (ferry_bench_csv, Redis ferry_bench_csv:*, new_crm_csv_bench,
 * /tmp/ferry-bench-csv); the legacy customers the CSV is exported from are the migration
 * benchmark's (MariaDB legacy_crm_bench), loaded at the requested scale. Import this module
 * first: bench-env sets the migration benchmark's values, replaced here before lib/ reads
 * the environment (lazily) and before the spawned workers and web server inherit it.
 */
import os from 'node:os';
import path from 'node:path';
import { BENCH } from './bench-env';

const storage = path.join(os.tmpdir(), 'ferry-bench-csv');

const forced: Record<string, string> = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/ferry_bench_csv',
  QUEUE_PREFIX: 'ferry_bench_csv',
  FERRY_FILE_STORAGE: path.join(storage, 'files'),
  // The web server runs in production mode, where the cookie would be HTTPS-only; the bench speaks plain HTTP.
  COOKIE_SECURE: 'false',
};
for (const [key, value] of Object.entries(forced)) process.env[key] = value;

export const CSV_BENCH = {
  metadataDatabase: 'ferry_bench_csv',
  metadataUrl: forced.DATABASE_URL,
  queuePrefix: forced.QUEUE_PREFIX,
  legacyMaria: BENCH.legacyMaria,
  /** The new CRM (contacts, the migration's target) and csv_customers_baseline (psql's \copy). */
  target: 'new_crm_csv_bench',
  /** Everything the benchmark writes to disk: the exports and the web server's file storage. */
  folder: storage,
  storage: forced.FERRY_FILE_STORAGE,
} as const;

// run-migration.ts empties `BENCH.target`'s contacts between its two jobs (resetTarget):
// pointed at this benchmark's own new CRM, so the migration benchmark's is never touched.
Object.assign(BENCH, { target: CSV_BENCH.target });
