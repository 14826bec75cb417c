/**
 * Settings of the plan benchmark: a metadata database and queue prefix of its own
 * (ferry_bench_plan, Redis ferry_bench_plan:*) and its own new CRM (new_crm_plan_bench);
 * the legacy CRM in MariaDB (legacy_crm_bench) is the migration benchmark's, loaded at the
 * requested scale. Import this module first: bench-env sets the migration benchmark's
 * values, replaced here before lib/ reads the environment and before workers inherit it.
 */
import { BENCH } from './bench-env';

const forced: Record<string, string> = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/ferry_bench_plan',
  QUEUE_PREFIX: 'ferry_bench_plan',
};
for (const [key, value] of Object.entries(forced)) process.env[key] = value;

export const PLAN_BENCH = {
  metadataDatabase: 'ferry_bench_plan',
  metadataUrl: forced.DATABASE_URL,
  queuePrefix: forced.QUEUE_PREFIX,
  legacyMaria: BENCH.legacyMaria,
  /** The new CRM (scripts/demo-data/new-crm-schema.sql), emptied each run, and the baseline tables. */
  target: 'new_crm_plan_bench',
} as const;
