/**
 * Settings of the verification benchmark: a metadata database, queue prefix and data
 * databases of its own (ferry_bench_verify, Redis ferry_bench_verify:*, verify_bench_*), so
 * neither the migration benchmark nor a test run is touched. Import this module first:
 * bench-env sets the migration benchmark's values, which are replaced here before lib/
 * reads the environment (lazily) and before workers inherit it.
 */
import './bench-env';

const forced: Record<string, string> = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/ferry_bench_verify',
  QUEUE_PREFIX: 'ferry_bench_verify',
};
for (const [key, value] of Object.entries(forced)) process.env[key] = value;

export const VERIFY_BENCH = {
  metadataDatabase: 'ferry_bench_verify',
  metadataUrl: forced.DATABASE_URL,
  queuePrefix: forced.QUEUE_PREFIX,
  /** PostgreSQL source: customers, generated in SQL. */
  source: 'verify_bench_source',
  /** MariaDB source: the same customers. */
  sourceMaria: 'verify_bench_source',
  /** PostgreSQL target: contacts, copied from the source with COPY (plain copies and casts). */
  target: 'verify_bench_target',
} as const;
