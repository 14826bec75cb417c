/**
 * Plan benchmark: npm run bench:plan -- --customers 1000000
 *
 * Loads the legacy CRM at that scale if missing (MariaDB legacy_crm_bench: N customers, 3N
 * orders, ~0.96 payments per order, N tickets), creates the new CRM empty (PostgreSQL
 * new_crm_plan_bench: contacts and deals get generated ids), then in one run:
 *  1. the raw baseline: each legacy table piped into a table of its target's shape with COPY
 *     only (plan-baseline.ts), one after the other; baseline_seconds is their sum;
 *  2. the whole legacy CRM as one plan of the demo's four mappings on 2 worker processes:
 *     contacts, then deals and cases (through the contacts' id map), then payments (through
 *     the deals' id map);
 *  3. the remapping checked by SQL (plan-remap-check.ts): every deal, payment and case joined
 *     to its parent and back to the legacy ids, compared with the legacy CRM's own pairs.
 * Prints one JSON line on stdout: {"rows", "seconds", "rows_per_s", "baseline_seconds",
 * "ratio", "remap_mismatches", "orphans", "peak_worker_rss_mb", "target_copy_seconds",
 * "ratio_ceiling"}, ratio = baseline_seconds / seconds, orphans = open parent_not_migrated
 * error rows of the run; the last two are psql's `\copy` of the landed rows into tables LIKE
 * the new CRM's (plan-floor.ts) and the ratio a loader with no cost of its own would reach.
 * Targets: no mismatch, ratio ≥ 0.5, peak RSS ≤ 300 MB per worker; a missed one is a
 * "TARGET MISSED: …" line on stderr, and below the ratio the per-batch cost of the id work is
 * measured (plan-profile.ts).
 *
 * Own metadata database and queue prefix (ferry_bench_plan, Redis ferry_bench_plan:*).
 * Options: --workers 2 --concurrency 2 --chunk-rows 50000 --batch-rows 5000 --timeout 7200
 * --stall 300 --profile (always measure the id work) --worker-node-options "…"
 * --references id_map|target_column (how children find their parents' new ids: the parents'
 * id maps, as the demo does, or the legacy_id column the new CRM keeps)
 */
import { PLAN_BENCH } from './plan-env';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { prisma } from '@/lib/db/client';
import { ferryQueue } from '@/lib/queue/enqueue';
import { loadDemoData } from '../demo-data/load-demo-data';
import { MARIADB, PG_URL, log, positiveInt } from './bench-env';
import { resetBenchMetadata } from './bench-metadata';
import { PeakRss } from './peak-rss';
import { planBaseline } from './plan-baseline';
import { planTargetFloor } from './plan-floor';
import { profilePlanSteps } from './plan-profile';
import { checkPlanRemap } from './plan-remap-check';
import { createBenchPlan, logPlanSteps, timePlanRun } from './plan-run';
import { runBench } from './run-bench';
import { buildWorkerBundle, startWorkers, stopWorkers } from './run-migration';

const TARGETS = { ratio: 0.5, peakWorkerRssMb: 300 };

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: process.env.BENCH_CUSTOMERS ?? '1000000' },
    workers: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '2' },
    'chunk-rows': { type: 'string', default: '50000' },
    'batch-rows': { type: 'string', default: '5000' },
    timeout: { type: 'string', default: '7200' },
    stall: { type: 'string', default: '300' },
    profile: { type: 'boolean', default: false },
    references: { type: 'string', default: 'id_map' },
    // As `npm run worker` and bench:migrate run them.
    'worker-node-options': { type: 'string', default: '--max-old-space-size=192 --max-semi-space-size=16' },
  },
});

async function withTarget<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL(PLAN_BENCH.target) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const customers = positiveInt('customers', values.customers);
  const references = values.references;
  if (references !== 'id_map' && references !== 'target_column') throw new Error(`--references must be id_map or target_column, not ${references}`);
  const settings = {
    workers: positiveInt('workers', values.workers),
    concurrency: positiveInt('concurrency', values.concurrency),
    chunkRows: positiveInt('chunk-rows', values['chunk-rows']),
    batchRows: positiveInt('batch-rows', values['batch-rows']),
    timeoutSeconds: positiveInt('timeout', values.timeout),
    stallSeconds: positiveInt('stall', values.stall),
  };

  log(`legacy data: ${customers} customers in MariaDB ${PLAN_BENCH.legacyMaria}, new CRM ${PLAN_BENCH.target} (emptied)`);
  const loaded = await loadDemoData({ customers, legacyDatabase: PLAN_BENCH.legacyMaria, targetDatabase: PLAN_BENCH.target, reset: true, log: (l) => log(`  ${l}`) });
  log(`legacy data ready in ${loaded.seconds} s: ${loaded.customers} customers, ${loaded.orders} orders, ${loaded.payments} payments, ${loaded.tickets} tickets`);

  const baseline = await planBaseline();
  await withTarget((c) => c.query('CHECKPOINT'));

  const { actor, connection } = await resetBenchMetadata(PLAN_BENCH.metadataDatabase, PLAN_BENCH.metadataUrl, PLAN_BENCH.queuePrefix);
  const legacy = await connection('bench legacy CRM (MariaDB)', 'mysql', PLAN_BENCH.legacyMaria);
  const target = await connection('bench new CRM (PostgreSQL)', 'postgres', PLAN_BENCH.target);
  const plan = await createBenchPlan(actor, legacy.id, target.id, references);
  const names = { [plan.mappings.contacts]: 'contacts', [plan.mappings.deals]: 'deals', [plan.mappings.payments]: 'payments', [plan.mappings.cases]: 'cases' };
  log(`plan of 4 mappings (references by ${references}) on ${settings.workers} workers × concurrency ${settings.concurrency}, chunks of ${settings.chunkRows}, batches of ${settings.batchRows}`);

  const workers = await startWorkers({ count: settings.workers, concurrency: settings.concurrency, nodeOptions: values['worker-node-options'] || undefined, bundle: await buildWorkerBundle() });
  const pids = workers.map((w) => w.process.pid as number);
  const rss = new PeakRss(pids);
  let run;
  let peakRssMb: number;
  try {
    await ferryQueue().waitUntilReady();
    run = await timePlanRun(actor, plan.planId, settings, pids);
    peakRssMb = rss.peakMb();
    log(`  worker peak RSS (VmHWM) per process: ${rss.perProcessMb().map((mb) => `${mb.toFixed(0)} MB`).join(', ')}`);
  } finally {
    rss.peakMb();
    await stopWorkers(workers);
  }
  log(`plan run ${run.runId} ${run.status} in ${run.seconds.toFixed(2)} s: ${run.rows} rows read, ${run.written} written${run.stopReason ? ` (${run.stopReason})` : ''}`);
  await logPlanSteps(run, names);

  const remap = await withTarget((client) => checkPlanRemap(client, { ...MARIADB, database: PLAN_BENCH.legacyMaria }));
  log(`remap check: ${JSON.stringify(remap.checked)} rows checked, mismatches ${JSON.stringify(remap.mismatches)}`);
  const orphans = await prisma().errorRow.count({ where: { code: 'parent_not_migrated', resolvedAt: null, job: { planRunId: run.runId } } });
  const byCode = await prisma().errorRow.groupBy({ by: ['code'], where: { job: { planRunId: run.runId } }, _count: { _all: true } });
  log(`error rows by code: ${byCode.map((g) => `${g.code}=${g._count._all}`).join(', ')}`);
  if (run.rows !== baseline.rows) log(`WARNING: the plan read ${run.rows} rows, the baseline copied ${baseline.rows}`);
  const floor = await planTargetFloor();

  const ratio = baseline.seconds / run.seconds;
  const line = {
    rows: run.rows,
    seconds: Number(run.seconds.toFixed(2)),
    rows_per_s: Math.round(run.rows / run.seconds),
    baseline_seconds: Number(baseline.seconds.toFixed(2)),
    ratio: Number(ratio.toFixed(3)),
    remap_mismatches: remap.total,
    orphans,
    peak_worker_rss_mb: Number(peakRssMb.toFixed(1)),
    target_copy_seconds: Number(floor.seconds.toFixed(2)),
    ratio_ceiling: Number((baseline.seconds / floor.seconds).toFixed(3)),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  if (run.status !== 'completed' && run.status !== 'completed_with_errors') log(`TARGET MISSED: the plan run ended ${run.status}`);
  if (remap.total > 0) log(`TARGET MISSED: ${remap.total} references point at the wrong record`);
  if (ratio < TARGETS.ratio) log(`TARGET MISSED: ratio ${line.ratio} < ${TARGETS.ratio}`);
  if (peakRssMb > TARGETS.peakWorkerRssMb) log(`TARGET MISSED: peak worker RSS ${line.peak_worker_rss_mb} MB > ${TARGETS.peakWorkerRssMb} MB`);
  if (values.profile || ratio < TARGETS.ratio) await profilePlanSteps(plan, run, settings.batchRows, target.id);
}

await runBench(main);
