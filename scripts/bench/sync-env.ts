/**
 * Settings of the sync benchmark: a metadata database, queue prefix and data databases of
 * its own (ferry_bench_sync, Redis ferry_bench_sync:*, sync_bench_*), so neither the other
 * benchmarks nor a test run is touched. Import this module first: bench-env sets the
 * migration benchmark's values, which are replaced here before lib/ reads the environment
 * (lazily) and before workers inherit it.
 */
import './bench-env';

const forced: Record<string, string> = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/ferry_bench_sync',
  QUEUE_PREFIX: 'ferry_bench_sync',
};
for (const [key, value] of Object.entries(forced)) process.env[key] = value;

export const SYNC_BENCH = {
  metadataDatabase: 'ferry_bench_sync',
  metadataUrl: forced.DATABASE_URL,
  queuePrefix: forced.QUEUE_PREFIX,
  /** PostgreSQL source of the polling and postgres-cdc modes: accounts, generated in SQL. */
  sourcePg: 'sync_bench_source',
  /** MariaDB source of the mariadb-cdc mode: the same accounts. */
  sourceMaria: 'sync_bench_source',
  /** PostgreSQL target: accounts, filled by the sync's initial load. */
  target: 'sync_bench_target',
  table: 'accounts',
} as const;
