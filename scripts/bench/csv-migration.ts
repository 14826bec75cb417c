import pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { prisma } from '@/lib/db/client';
import { createMapping } from '@/lib/saved-mappings/save-mapping';
import { mappingSpecSchema } from '@/lib/schemas/mapping-spec';
import type { BaselineResult } from './baseline-copy';
import { PG_URL, log } from './bench-env';
import { baselineCsvCopy, expectedInvalidCsvRows, targetCopyFloor } from './csv-baseline';
import { CSV_BENCH } from './csv-env';
import { createBenchCsvSource } from './csv-file-source';
import { profileChunk } from './profile-chunk';
import { benchMappingSpec, resetTarget, runBenchMigration, type BenchMigrationRuns, type MigrationRunOptions } from './run-migration';
import type { SpawnedWorker } from '../../tests/integration/support/spawn-worker';

export interface CsvMigrationSettings extends MigrationRunOptions {
  /** The file's key: `_line` (the benchmark's) or `cust_id` (the column it is sorted by, a diagnostic). */
  key: '_line' | 'cust_id';
  baselineRuns: number;
  profile: boolean;
}

export interface CsvMigrationResult {
  baseline: BaselineResult;
  runs: BenchMigrationRuns;
  /** psql's `\copy` of the landed rows into a table LIKE contacts (csv-baseline.ts). */
  floor: { rows: number; seconds: number };
  /** How long the workers' early indexing of the confirmed file took, as the worker that built the index says (waited for before the first job). */
  indexSeconds: number;
}

const INDEXED = /indexed table "customers" \(version \d+\): (\d+) records, \d+ parts in ([\d.]+) s/;

/**
 * Waits until a worker says it indexed the confirmed file (lib/file-sources/index-confirmed-files.ts):
 * what an analyst's time at the mapping hides in real use. The jobs then read that index.
 */
async function waitForEarlyIndex(workers: SpawnedWorker[], timeoutSeconds: number): Promise<number> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    for (const worker of workers) {
      const said = INDEXED.exec(worker.output());
      if (said) {
        log(`  the workers indexed the file ahead of the jobs: ${said[1]} records in ${said[2]} s`);
        return Number(said[2]);
      }
      const failed = /could not index the file of table "customers".*/.exec(worker.output());
      if (failed) throw new Error(`a worker could not index the file: ${failed[0]}`);
    }
    if (Date.now() > deadline) throw new Error(`no worker indexed the file within ${timeoutSeconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function targetQuery<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: PG_URL(CSV_BENCH.target) });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function checkpointPostgres(): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL('postgres') });
  await client.connect();
  await client.query('CHECKPOINT').finally(() => client.end());
}

/**
 * The baseline (psql's \copy of the file) and the migration of the same file into contacts
 * through bench:migrate's mapping, the file's table read by `settings.key`, twice on the
 * same workers (run-migration.ts); each job checked for the error rows the generator's
 * rules predict and for the rows landed.
 */
export async function measureCsvMigration(actor: Actor, targetConnectionId: string, file: string, settings: CsvMigrationSettings): Promise<CsvMigrationResult> {
  const source = await createBenchCsvSource(actor, 'bench customers export (CSV)', 'customers', file);
  log(`file source: ${source.shape.columns.map((c) => `${c.name} ${c.type}${c.format ? ` (${c.format})` : ''}`).join(', ')}`);

  await checkpointPostgres();
  // On a shared, noisy machine the best of several baseline runs is the fairer yardstick.
  let baseline: BaselineResult | null = null;
  for (let i = 0; i < settings.baselineRuns; i++) {
    const b = await baselineCsvCopy(CSV_BENCH.target, file);
    if (!baseline || b.rowsPerSecond > baseline.rowsPerSecond) baseline = b;
  }
  if (!baseline) throw new Error('no baseline run');
  const expected = await expectedInvalidCsvRows(CSV_BENCH.target);
  log(`invalid customers in the file by the generator's rules: ${expected}`);

  await resetTarget();
  const mapping = await createMapping(actor, {
    name: 'bench customers.csv → contacts',
    sourceConnectionId: source.connectionId,
    targetConnectionId,
    spec: mappingSpecSchema.parse({ ...benchMappingSpec({ phone: false, plainEmail: false }), source: { table: 'customers', key: [settings.key] } }),
  });
  // No automatic verification after the run: it would still be reading the file when the upload starts.
  await prisma().mapping.update({ where: { id: mapping.id }, data: { verifySettings: { autoVerify: false } } });
  log(`migration customers.csv → contacts, the file read by ${settings.key}: ${settings.workers} workers × concurrency ${settings.concurrency}, ` +
    `chunks of ${settings.chunkRows}, batches of ${settings.batchRows}`);
  let indexSeconds = 0;
  const runs = await runBenchMigration(actor, mapping.id, { ...settings, beforeFirstJob: async (workers) => void (indexSeconds = await waitForEarlyIndex(workers, settings.timeoutSeconds)) });
  const { firstJob, steady: m } = runs;
  const [{ n }] = await targetQuery<{ n: string }>('SELECT count(*) AS n FROM contacts');
  const landed = Number(n);
  log(`migration: job ${m.jobId} ${m.status} in ${m.seconds.toFixed(2)} s (first job on fresh workers: ${firstJob.seconds.toFixed(2)} s); ` +
    `read ${m.rows}, written ${m.written}, error rows ${m.errorRows}, contacts now ${landed}`);
  log(`  error rows by stage/field/code: ${m.errorsByCode || 'none'}`);
  for (const [which, r] of [['first job', firstJob], ['migration', m]] as const) {
    if (r.status === 'failed' || r.status === 'cancelled') log(`WARNING: the ${which} ended ${r.status}; see the job events in ${CSV_BENCH.metadataUrl}`);
    if (r.errorRows !== expected) log(`WARNING: the ${which} left ${r.errorRows} error rows, the generator's rules say ${expected}`);
    if (r.rows !== baseline.rows) log(`WARNING: the ${which} read ${r.rows} rows, the baseline copied ${baseline.rows}`);
  }
  if (landed !== m.rows - m.errorRows) log(`WARNING: contacts holds ${landed} rows, expected read − error rows = ${m.rows - m.errorRows}`);
  // What contacts costs by itself, on the rows the migration landed (before a profile rewrites the table).
  const floor = await targetCopyFloor(CSV_BENCH.target, CSV_BENCH.folder);

  if (settings.profile && settings.key === '_line') {
    // Lines, not records: a quoted note spans two, so the range holds a few fewer records than chunk-rows.
    const middle = Math.max(2, Math.floor(baseline.rows / 2 / settings.chunkRows) * settings.chunkRows);
    await profileChunk(actor, mapping.id, 'csv', { lower: middle, upper: middle + settings.chunkRows }, settings.batchRows);
  }
  return { baseline, runs, floor, indexSeconds };
}
