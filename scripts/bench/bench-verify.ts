/**
 * Verification benchmark: npm run bench:verify -- --customers 1000000
 *
 * Generates customers (PostgreSQL verify_bench_source; with --sources …,mariadb also MariaDB
 * verify_bench_source), copies them into contacts (PostgreSQL verify_bench_target) as a
 * migration of plain copies and one cast writes them, then:
 *  1. measures the lower bound: one `SELECT count(*), sum(hashtext(t::text)::bigint)` scan
 *     of each side (MariaDB: SUM(CRC32(CONCAT_WS(…)))), one after the other (best of --scan-runs);
 *  2. verifies the fully matching table with real verify jobs on 2 worker processes (best of --runs) and
 *     prints one JSON line per source: {"source", "rows", "seconds", "scan_seconds",
 *     "ratio", "peak_worker_rss_mb", "score"} (ratio = seconds / scan_seconds, target ≤ 2);
 *  3. alters, deletes and inserts 1 % of the target rows and verifies again: the report's
 *     different / missing / extra must equal exactly what was changed, otherwise a
 *     "COUNT MISMATCH: …" line and a non-zero exit code.
 * Progress goes to stderr; a missed target is a "TARGET MISSED: …" line there.
 *
 * Options: --customers N (default BENCH_CUSTOMERS or 1000000)  --sources postgres,mariadb
 * --workers 2  --concurrency 2  --range-rows 100000  --scan-runs 2  --runs 2 (matching-table verify
 * jobs; the fastest counts)  --timeout 3600  --worker-node-options "--max-old-space-size=192 …"
 * --no-tamper (skip the second pass)
 */
import { VERIFY_BENCH } from './verify-env';
import { parseArgs } from 'node:util';
import type { Actor } from '@/lib/auth/roles';
import { log, positiveInt } from './bench-env';
import { runBench } from './run-bench';
import { PeakRss } from './peak-rss';
import { buildWorkerBundle, startWorkers, stopWorkers } from './run-migration';
import { copyTarget, ensureMariaSource, ensurePgSource } from './verify-data';
import { prepareVerifyMetadata, type VerifySource } from './verify-metadata';
import { runVerify, type VerifyRun } from './verify-run';
import { scanSeconds } from './verify-scan';
import { tamperTarget, type Tampered } from './verify-tamper';

const TARGET_RATIO = 2;

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: process.env.BENCH_CUSTOMERS ?? '1000000' },
    sources: { type: 'string', default: 'postgres' },
    workers: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '2' },
    'range-rows': { type: 'string', default: '100000' },
    'scan-runs': { type: 'string', default: '2' },
    runs: { type: 'string', default: '2' },
    timeout: { type: 'string', default: '3600' },
    'no-tamper': { type: 'boolean', default: false },
    // As `npm run worker` and bench:migrate run them.
    'worker-node-options': { type: 'string', default: '--max-old-space-size=192 --max-semi-space-size=16' },
  },
});

interface RunSettings {
  workers: number;
  concurrency: number;
  rangeRows: number;
  timeoutSeconds: number;
  bundle: string;
  nodeOptions: string | undefined;
}

/**
 * Workers of their own per pass, so each pass's peak RSS is its own. `runs` verify jobs run
 * one after the other on the same workers and the fastest counts: on a shared machine the
 * best of several is the fairer figure, as for the scan (later runs also find the workers
 * warm, as long-running workers are).
 */
async function verifyWithWorkers(actor: Actor, mappingId: string, run: RunSettings, runs: number): Promise<VerifyRun & { peakRssMb: number }> {
  const workers = await startWorkers({ count: run.workers, concurrency: run.concurrency, bundle: run.bundle, nodeOptions: run.nodeOptions });
  const rss = new PeakRss(workers.map((w) => w.process.pid as number));
  try {
    let best: VerifyRun | null = null;
    for (let i = 0; i < runs; i++) {
      const result = await runVerify(actor, mappingId, run.rangeRows, run.timeoutSeconds);
      if (runs > 1) log(`  run ${i + 1}: ${result.status} in ${result.seconds.toFixed(2)} s`);
      if (result.status !== 'completed') log(`WARNING: verify job ${result.jobId} ended ${result.status}: ${result.stopReason ?? ''}\n${workers.map((w) => w.output().slice(-3000)).join('\n')}`);
      if (!best || result.status !== 'completed' || result.seconds < best.seconds) best = result;
      if (result.status !== 'completed') break;
    }
    const peakRssMb = rss.peakMb();
    log(`  worker peak RSS (VmHWM): ${rss.perProcessMb().map((mb) => `${mb.toFixed(0)} MB`).join(', ')}`);
    return { ...(best as VerifyRun), peakRssMb };
  } finally {
    rss.peakMb();
    await stopWorkers(workers);
  }
}

const describeRun = (r: VerifyRun) =>
  `job ${r.jobId} ${r.status} in ${r.seconds.toFixed(2)} s: ${r.matched} matched (${r.hashMatched} by hashes, ${r.rowsRead} rows read), ` +
  `${r.different} different, ${r.missing} missing, ${r.extra} extra, ${r.nullKeys} null keys, ${r.duplicateKeys} duplicate keys; ` +
  `score ${r.score}, method ${r.method}, ${r.ranges} ranges`;

/** Pass 2: the report must count exactly what was changed. */
function checkCounts(source: VerifySource, customers: number, tampered: Tampered, r: VerifyRun): boolean {
  const expected = { matched: customers - tampered.altered - tampered.deleted, different: tampered.altered, missing: tampered.deleted, extra: tampered.inserted, nullKeys: 0, duplicateKeys: 0 };
  const actual = { matched: r.matched, different: r.different, missing: r.missing, extra: r.extra, nullKeys: r.nullKeys, duplicateKeys: r.duplicateKeys };
  const wrong = Object.entries(expected).filter(([k, v]) => actual[k as keyof typeof actual] !== v);
  if (r.status === 'completed' && wrong.length === 0) {
    log(`${source}: second pass counts exact (${JSON.stringify(actual)})`);
    return true;
  }
  process.stderr.write(`COUNT MISMATCH: ${source}: status ${r.status}; ${wrong.map(([k, v]) => `${k} ${actual[k as keyof typeof actual]} (expected ${v})`).join(', ') || 'counts right but the job did not complete'}\n`);
  return false;
}

async function main(): Promise<void> {
  const customers = positiveInt('customers', values.customers);
  const sources = values.sources.split(',').map((s) => s.trim()).filter(Boolean) as VerifySource[];
  for (const s of sources) if (s !== 'postgres' && s !== 'mariadb') throw new Error(`--sources: unknown source "${s}" (postgres, mariadb)`);
  const run: RunSettings = {
    workers: positiveInt('workers', values.workers),
    concurrency: positiveInt('concurrency', values.concurrency),
    rangeRows: positiveInt('range-rows', values['range-rows']),
    timeoutSeconds: positiveInt('timeout', values.timeout),
    bundle: await buildWorkerBundle(),
    nodeOptions: values['worker-node-options'] || undefined,
  };

  await ensurePgSource(customers);
  if (sources.includes('mariadb')) await ensureMariaSource(customers);
  const copied = await copyTarget();
  if (copied !== customers) throw new Error(`contacts holds ${copied} rows after the copy, expected ${customers}`);
  const { actor, mappings } = await prepareVerifyMetadata(sources);
  log(`metadata database ${VERIFY_BENCH.metadataDatabase}, queue prefix ${VERIFY_BENCH.queuePrefix}; ` +
    `${run.workers} workers × concurrency ${run.concurrency}, ranges of ${run.rangeRows} rows`);

  const scanRuns = positiveInt('scan-runs', values['scan-runs']);
  let exact = true;
  for (const source of sources) {
    log(`── ${source} → PostgreSQL, matching tables`);
    const scan = await scanSeconds(source, scanRuns);
    log(`  scan lower bound: ${scan.seconds.toFixed(2)} s for ${scan.rows.join(' + ')} rows (one hash scan of each side)`);
    const r = await verifyWithWorkers(actor, mappings[source], run, positiveInt('runs', values.runs));
    log(`  ${r.planned}`);
    log(`  ${describeRun(r)}`);
    if (!/in-database hashes first/.test(r.planned)) log(`WARNING: ${source}: the in-database fast path was not used`);
    if (r.matched !== customers || r.different + r.missing + r.extra !== 0) {
      process.stderr.write(`COUNT MISMATCH: ${source}: matching tables gave ${r.matched} matched (expected ${customers}), ${r.different} different, ${r.missing} missing, ${r.extra} extra\n`);
      exact = false;
    }
    const ratio = r.seconds / scan.seconds;
    const line = {
      source,
      rows: r.matched,
      seconds: Number(r.seconds.toFixed(2)),
      scan_seconds: Number(scan.seconds.toFixed(2)),
      ratio: Number(ratio.toFixed(3)),
      peak_worker_rss_mb: Number(r.peakRssMb.toFixed(1)),
      score: r.score,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    if (ratio > TARGET_RATIO) log(`TARGET MISSED: ${source} ratio ${line.ratio} > ${TARGET_RATIO}`);
  }

  if (!values['no-tamper']) {
    const tampered = await tamperTarget();
    log(`── target tampered: ${tampered.altered} altered, ${tampered.deleted} deleted, ${tampered.inserted} inserted`);
    for (const source of sources) {
      const r = await verifyWithWorkers(actor, mappings[source], run, 1);
      log(`  ${source}: ${describeRun(r)}`);
      exact = checkCounts(source, customers, tampered, r) && exact;
    }
  }
  if (!exact) process.exitCode = 1;
}

await runBench(main);
