/**
 * Migration benchmark: npm run bench:migrate -- --customers 1000000
 *
 * Creates the legacy CRM at that scale if missing (MariaDB legacy_crm_bench, and its
 * customers copied to PostgreSQL legacy_crm_bench_pg), then per source (PostgreSQL, then
 * MariaDB): the raw baseline (COPY … TO STDOUT / a mysql2 stream piped into COPY … FROM
 * STDIN, no transforms) into an indexed table of the contacts shape, and the real
 * migration customers → contacts through a 9-field mapping (trim+lower+email, concat,
 * value_map, parse_date …) in upsert mode, with 2 worker processes — twice on the same
 * workers, the target emptied in between: "seconds" and "ratio" are the second job (the
 * steady state of a running deployment), "first_job_seconds" and "first_job_ratio" the
 * first (fresh processes: connections, caches and JIT compilation included). Prints one
 * JSON line per source on stdout; everything else goes to stderr. Exits non-zero only on a crash;
 * a missed target is reported as a "TARGET MISSED: …" line on stderr.
 *
 * Own databases and queue prefix: ferry_bench (metadata, dropped and migrated each run),
 * legacy_crm_bench, legacy_crm_bench_pg, new_crm_bench; Redis keys ferry_bench:*.
 *
 * Options: --sources postgres,mariadb  --phone (also map phone → E.164)  --plain-email
 * (trim+lower without the email check)  --profile (per-step timing of one chunk in-process)
 * --profile-only (just the profile)  --workers 2 --concurrency 2 --chunk-rows 50000 --batch-rows 5000
 * --baseline-runs 1 (the best of N baseline runs counts)  --timeout 7200 and --stall 300 (s: give up when no chunk progresses, e.g. the queue was lost)
 * --worker-node-options "--max-old-space-size=160"  --worker-bundle (workers from an esbuild
 * bundle instead of tsx: memory of a compiled deployment)
 */
import { invalidCustomersSql } from './invalid-customers-sql';
import { BENCH, PG_URL, log, positiveInt } from './bench-env';
import { runBench } from './run-bench';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadDemoData } from '../demo-data/load-demo-data';
import { baselineFromMariaDb, baselineFromPostgres, type BaselineResult } from './baseline-copy';
import { ensureLegacyPgCopy } from './pg-legacy-copy';
import { profileChunk } from './profile-chunk';
import { buildWorkerBundle, createBenchMapping, prepareMetadata, resetTarget, runBenchMigration, type SourceKind } from './run-migration';

const TARGETS = { ratio: { postgres: 0.6, mariadb: 0.5 } as Record<SourceKind, number>, peakWorkerRssMb: 300 };

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    sources: { type: 'string', default: 'postgres,mariadb' },
    phone: { type: 'boolean', default: false },
    'plain-email': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'profile-only': { type: 'boolean', default: false },
    workers: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '2' },
    'chunk-rows': { type: 'string', default: '50000' },
    'batch-rows': { type: 'string', default: '5000' },
    timeout: { type: 'string', default: '7200' },
    stall: { type: 'string', default: '300' },
    'worker-node-options': { type: 'string', default: '--max-old-space-size=192 --max-semi-space-size=16' },
    'worker-bundle': { type: 'boolean', default: true },
    'baseline-runs': { type: 'string', default: '1' },
  },
});

/** Invalid customers by the generator's own rules (scripts/demo-data/load-demo-data.ts, rules 1–5). */
async function expectedInvalidRows(): Promise<number> {
  const client = new pg.Client({ connectionString: PG_URL(BENCH.legacyPg) });
  await client.connect();
  try {
    const { rows } = await client.query<{ invalid: string }>(invalidCustomersSql('customers'));
    return Number(rows[0].invalid);
  } finally {
    await client.end();
  }
}

async function checkpointPostgres(): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL('postgres') });
  await client.connect();
  await client.query('CHECKPOINT').finally(() => client.end());
}

async function targetRowCount(): Promise<number> {
  const client = new pg.Client({ connectionString: PG_URL(BENCH.target) });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM contacts')).rows[0].n);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const customers = positiveInt('customers', values.customers);
  const sources = values.sources.split(',').map((s) => s.trim()).filter(Boolean) as SourceKind[];
  for (const s of sources) if (s !== 'postgres' && s !== 'mariadb') throw new Error(`--sources: unknown source "${s}" (postgres, mariadb)`);
  const run = {
    workers: positiveInt('workers', values.workers),
    concurrency: positiveInt('concurrency', values.concurrency),
    chunkRows: positiveInt('chunk-rows', values['chunk-rows']),
    batchRows: positiveInt('batch-rows', values['batch-rows']),
    timeoutSeconds: positiveInt('timeout', values.timeout),
    stallSeconds: positiveInt('stall', values.stall),
    workerNodeOptions: values['worker-node-options'] || undefined,
    workerBundle: values['worker-bundle'] ? await buildWorkerBundle() : undefined,
  };
  const mappingOptions = { phone: values.phone, plainEmail: values['plain-email'] };
  const baselineRuns = positiveInt('baseline-runs', values['baseline-runs']);

  log(`legacy data: ${customers} customers in MariaDB ${BENCH.legacyMaria}, target ${BENCH.target}`);
  const loaded = await loadDemoData({ customers, legacyDatabase: BENCH.legacyMaria, targetDatabase: BENCH.target, log: (l) => log(`  ${l}`) });
  log(`legacy data ready in ${loaded.seconds} s`);
  await ensureLegacyPgCopy(customers);
  const expected = await expectedInvalidRows();
  log(`invalid customers by the generator's rules: ${expected}${mappingOptions.plainEmail ? ' (with --plain-email, "@@" addresses pass and fewer rows fail)' : ''}`);

  const { actor, connections } = await prepareMetadata();
  log(`metadata database ${BENCH.metadataUrl.replace(/^.*\//, '')} migrated; queue prefix ${BENCH.queuePrefix}`);
  log(`mapping: ${mappingOptions.phone ? 'with' : 'without'} phone → E.164, ${mappingOptions.plainEmail ? 'trim+lower email' : 'trim+lower+email check'}; ` +
    `${run.workers} workers × concurrency ${run.concurrency}, chunks of ${run.chunkRows}, batches of ${run.batchRows}` +
    `${run.workerBundle ? ', workers from a JS bundle' : ''}${run.workerNodeOptions ? `, worker NODE_OPTIONS ${run.workerNodeOptions}` : ''}`);

  for (const source of sources) {
    log(`── ${source} → PostgreSQL`);
    if (values['profile-only']) {
      const mapping = await createBenchMapping(actor, source, connections, mappingOptions);
      const middle = Math.max(1, Math.floor(customers / 2 / run.chunkRows) * run.chunkRows + 1);
      await profileChunk(actor, mapping.id, source, { lower: middle, upper: middle + run.chunkRows }, run.batchRows);
      continue;
    }
    await checkpointPostgres();
    // On a shared, noisy machine the best of several baseline runs is the fairer yardstick.
    let baseline: BaselineResult | null = null;
    for (let i = 0; i < baselineRuns; i++) {
      const b = source === 'postgres' ? await baselineFromPostgres() : await baselineFromMariaDb();
      if (!baseline || b.rowsPerSecond > baseline.rowsPerSecond) baseline = b;
    }
    if (!baseline) throw new Error('no baseline run');

    await resetTarget();
    const mapping = await createBenchMapping(actor, source, connections, mappingOptions);
    log(`migration ${source}: starting`);
    const runs = await runBenchMigration(actor, mapping.id, run);
    const { firstJob, steady: m } = runs;
    const landed = await targetRowCount();
    log(`migration ${source}: job ${m.jobId} ${m.status} in ${m.seconds.toFixed(2)} s (first job on fresh workers: ${firstJob.seconds.toFixed(2)} s); ` +
      `read ${m.rows}, written ${m.written}, error rows ${m.errorRows}, contacts now ${landed}`);
    log(`  error rows by stage/field/code: ${m.errorsByCode || 'none'}`);
    for (const [which, r] of [['first job', firstJob], ['migration', m]] as const) {
      if (r.status === 'failed' || r.status === 'cancelled') log(`WARNING: the ${which} ended ${r.status}; see the job events in ${BENCH.metadataUrl}`);
      if (!mappingOptions.plainEmail && r.errorRows !== expected) log(`WARNING: the ${which} left ${r.errorRows} error rows, the generator's rules say ${expected}`);
      if (r.rows !== baseline.rows) log(`WARNING: the ${which} read ${r.rows} rows, the baseline copied ${baseline.rows}`);
    }
    if (landed !== m.rows - m.errorRows) log(`WARNING: contacts holds ${landed} rows, expected read − error rows = ${m.rows - m.errorRows}`);

    const rowsPerSecond = m.rows / m.seconds;
    const ratio = rowsPerSecond / baseline.rowsPerSecond;
    const line = {
      source,
      rows: m.rows,
      seconds: Number(m.seconds.toFixed(2)),
      rows_per_s: Math.round(rowsPerSecond),
      baseline_rows_per_s: Math.round(baseline.rowsPerSecond),
      ratio: Number(ratio.toFixed(3)),
      peak_worker_rss_mb: Number(runs.peakWorkerRssMb.toFixed(1)),
      error_rows: m.errorRows,
      first_job_seconds: Number(firstJob.seconds.toFixed(2)),
      first_job_ratio: Number((firstJob.rows / firstJob.seconds / baseline.rowsPerSecond).toFixed(3)),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    if (ratio < TARGETS.ratio[source]) log(`TARGET MISSED: ${source} ratio ${line.ratio} < ${TARGETS.ratio[source]}`);
    if (runs.peakWorkerRssMb > TARGETS.peakWorkerRssMb) log(`TARGET MISSED: ${source} peak worker RSS ${line.peak_worker_rss_mb} MB > ${TARGETS.peakWorkerRssMb} MB`);

    if (values.profile) {
      const middle = Math.max(1, Math.floor(customers / 2 / run.chunkRows) * run.chunkRows + 1);
      await profileChunk(actor, mapping.id, source, { lower: middle, upper: middle + run.chunkRows }, run.batchRows);
    }
  }
}

await runBench(main);
