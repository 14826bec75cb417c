/**
 * Sync benchmark: npm run bench:sync [-- --rows 1000000 --seconds 60]
 *
 * Three modes, each from a fresh 1M-row source (accounts) and an empty PostgreSQL target,
 * with 2 worker processes:
 *   polling       PostgreSQL → PostgreSQL, cursor sync on updated_at (timestamp(3)) every 1 s, lag --lag-ms;
 *                 deletes are soft (deleted_at set: what a cursor sees), the sync deletes the target row
 *   postgres-cdc  PostgreSQL → PostgreSQL, log sync (logical replication, pgoutput)
 *   mariadb-cdc   MariaDB → PostgreSQL, log sync (binlog)
 * Per mode: the sync is started (its initial load copies the source), a writer applies
 * --rate changes per second (60 % updates, 30 % inserts, 10 % deletes, each its own
 * transaction) for --seconds, then the benchmark waits for the last change in the target;
 * the delays are the sync's own, per change (sync_batches histograms over that window).
 * Catch-up: the sync is paused (it keeps its position; a stop + start would be a new
 * snapshot), --catchup-changes changes are written, it is resumed, and the time until the
 * last of them is in the target gives the catch-up rate. Source and target are then compared
 * exactly (sync-compare.ts) and verified by a Ferry verify job (final_score = C).
 *
 * Prints one JSON line per mode: {"mode", "changes", "rate_per_s", "p50_delay_ms",
 * "p95_delay_ms", "max_delay_ms", "lost", "duplicated", "final_score",
 * "catchup_changes_per_s", "peak_worker_rss_mb"}; progress on stderr, a missed target as a
 * "TARGET MISSED: …" line there. A mode that cannot finish (its workers died) prints no JSON
 * line, the next mode runs, and the exit code is non-zero.
 *
 * Own databases and queue prefix: ferry_bench_sync (metadata, dropped and migrated each
 * run), sync_bench_source (PostgreSQL and MariaDB), sync_bench_target; Redis ferry_bench_sync:*.
 *
 * Options: --rows 1000000  --seconds 60  --rate 1000  --catchup-changes 200000
 * --modes polling,postgres-cdc,mariadb-cdc  --lag-ms 1000  --workers 2  --concurrency 2
 * --writer-connections 8  --timeout 600 (s per wait)  --worker-node-options "…"  --no-worker-bundle
 */
import { SYNC_BENCH } from './sync-env';
import { parseArgs } from 'node:util';
import { log, positiveInt } from './bench-env';
import { resetBenchMetadata } from './bench-metadata';
import { runBench } from './run-bench';
import { buildWorkerBundle } from './run-migration';
import { runSyncMode, type ModeResult, type SyncBenchMode } from './sync-mode';

const MODES: SyncBenchMode[] = ['polling', 'postgres-cdc', 'mariadb-cdc'];
const TARGETS = { cdcP95Ms: 1000, catchupPerSecond: 10_000, peakWorkerRssMb: 300 };

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '60' },
    rate: { type: 'string', default: '1000' },
    'catchup-changes': { type: 'string', default: '200000' },
    modes: { type: 'string', default: MODES.join(',') },
    'lag-ms': { type: 'string', default: '1000' },
    workers: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '2' },
    'writer-connections': { type: 'string', default: '8' },
    timeout: { type: 'string', default: '600' },
    // As `npm run worker` and the other benchmarks run them.
    'worker-node-options': { type: 'string', default: '--max-old-space-size=192 --max-semi-space-size=16' },
    'no-worker-bundle': { type: 'boolean', default: false },
  },
});

const EVERY_SECONDS = 1;

function missedTargets(r: ModeResult): string[] {
  const missed: string[] = [];
  if (r.comparison.lost > 0) missed.push(`lost ${r.comparison.lost} > 0`);
  if (r.comparison.duplicated > 0) missed.push(`duplicated ${r.comparison.duplicated} > 0`);
  if (r.score !== 1) missed.push(`final_score ${r.score} ≠ 1`);
  const p95Limit = r.mode === 'polling' ? 2 * EVERY_SECONDS * 1000 + 1000 : TARGETS.cdcP95Ms;
  if (r.delays.p95 === null || r.delays.p95 > p95Limit) missed.push(`p95 delay ${r.delays.p95} ms > ${p95Limit} ms`);
  if (r.catchup.perSecond < TARGETS.catchupPerSecond) missed.push(`catch-up ${r.catchup.perSecond.toFixed(0)} changes/s < ${TARGETS.catchupPerSecond}`);
  if (r.peakWorkerRssMb > TARGETS.peakWorkerRssMb) missed.push(`peak worker RSS ${r.peakWorkerRssMb.toFixed(0)} MB > ${TARGETS.peakWorkerRssMb} MB`);
  return missed;
}

async function main(): Promise<void> {
  const modes = values.modes.split(',').map((m) => m.trim()).filter(Boolean) as SyncBenchMode[];
  for (const m of modes) if (!MODES.includes(m)) throw new Error(`--modes: unknown mode "${m}" (${MODES.join(', ')})`);
  const settings = {
    rows: positiveInt('rows', values.rows),
    seconds: positiveInt('seconds', values.seconds),
    rate: positiveInt('rate', values.rate),
    catchupChanges: positiveInt('catchup-changes', values['catchup-changes']),
    workers: positiveInt('workers', values.workers),
    concurrency: positiveInt('concurrency', values.concurrency),
    writerConnections: positiveInt('writer-connections', values['writer-connections']),
    lagMs: Number(values['lag-ms']),
    timeoutSeconds: positiveInt('timeout', values.timeout),
    nodeOptions: values['worker-node-options'] || undefined,
    bundle: values['no-worker-bundle'] ? undefined : await buildWorkerBundle(),
  };
  if (!Number.isInteger(settings.lagMs) || settings.lagMs < 0) throw new Error('--lag-ms must be a whole number ≥ 0');

  const { actor, connection } = await resetBenchMetadata(SYNC_BENCH.metadataDatabase, SYNC_BENCH.metadataUrl, SYNC_BENCH.queuePrefix);
  const [postgres, mariadb, target] = await Promise.all([
    connection('sync bench source (PostgreSQL)', 'postgres', SYNC_BENCH.sourcePg),
    connection('sync bench source (MariaDB)', 'mysql', SYNC_BENCH.sourceMaria),
    connection('sync bench target (PostgreSQL)', 'postgres', SYNC_BENCH.target),
  ]);
  log(`metadata database ${SYNC_BENCH.metadataDatabase} migrated; queue prefix ${SYNC_BENCH.queuePrefix}; ${settings.rows} rows, ` +
    `${settings.rate} changes/s for ${settings.seconds} s, catch-up ${settings.catchupChanges} changes, ${settings.workers} workers × concurrency ${settings.concurrency}`);

  for (const mode of modes) {
    log(`── ${mode}`);
    const started = performance.now();
    let r: ModeResult;
    try {
      r = await runSyncMode(mode, actor, { postgres: postgres.id, mariadb: mariadb.id, target: target.id }, settings);
    } catch (error) {
      // The other modes still run; the exit code says one crashed.
      log(`TARGET MISSED: ${mode}: the mode did not finish: ${(error as Error).message}`);
      process.exitCode = 1;
      continue;
    }
    log(`${mode}: ${r.delays.counted} change(s) in ${r.delays.batches} batch(es) measured; peak worker RSS ${r.peakWorkerRssMb.toFixed(0)} MB ` +
      `(while writing ${r.windowPeakRssMb.toFixed(0)} MB, catching up ${r.catchupPeakRssMb.toFixed(0)} MB); mode took ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const line = {
      mode,
      changes: r.writer.changes,
      rate_per_s: Math.round(r.writer.ratePerSecond),
      p50_delay_ms: r.delays.p50,
      p95_delay_ms: r.delays.p95,
      max_delay_ms: r.delays.max,
      lost: r.comparison.lost,
      duplicated: r.comparison.duplicated,
      final_score: r.score,
      catchup_changes_per_s: Math.round(r.catchup.perSecond),
      peak_worker_rss_mb: Number(r.peakWorkerRssMb.toFixed(1)),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    if (r.writer.ratePerSecond < settings.rate * 0.98) log(`TARGET MISSED: ${mode}: the writer reached ${r.writer.ratePerSecond.toFixed(0)} changes/s, not ${settings.rate}`);
    for (const m of missedTargets(r)) log(`TARGET MISSED: ${mode}: ${m}`);
  }
}

await runBench(main);
