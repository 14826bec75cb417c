import pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { prisma } from '@/lib/db/client';
import { isFinal } from '@/lib/jobs/job-state';
import { createMapping } from '@/lib/saved-mappings/save-mapping';
import { mappingSpecSchema } from '@/lib/schemas/mapping-spec';
import { syncSettingsSchema } from '@/lib/schemas/sync-settings';
import { createSync } from '@/lib/sync/save-sync';
import { pauseSync, resumeSync, startSync, stopSync } from '@/lib/sync/start-sync';
import { PG_URL, log } from './bench-env';
import { cpuSnapshot, describeCpu } from './cpu-usage';
import { PeakRss, procMemoryKb } from './peak-rss';
import { startWorkers, stopWorkers } from './run-migration';
import { compareSourceAndTarget, type Comparison } from './sync-compare';
import { buildMariaSource, buildPgSource, resetTarget, syncBenchSpec } from './sync-data';
import { SYNC_BENCH } from './sync-env';
import { PhaseRss, WorkersGoneError, delaysBetween, waitForMarker, waitForStatus, waitForStreaming, type DelayFigures } from './sync-observe';
import { ChangeWriter, type WriterRun } from './sync-writer';
import { runVerify } from './verify-run';

export type SyncBenchMode = 'polling' | 'postgres-cdc' | 'mariadb-cdc';

export interface ModeSettings {
  rows: number;
  seconds: number;
  rate: number;
  catchupChanges: number;
  workers: number;
  concurrency: number;
  bundle: string | undefined;
  nodeOptions: string | undefined;
  writerConnections: number;
  /** Polling mode: the cursor's lag behind the source clock (ms). */
  lagMs: number;
  timeoutSeconds: number;
}

export interface ModeResult {
  mode: SyncBenchMode;
  writer: WriterRun;
  delays: DelayFigures;
  /** After the writer stopped: until its last change was in the target. */
  drainSeconds: number;
  catchup: { writer: WriterRun; seconds: number; perSecond: number };
  comparison: Comparison;
  score: number | null;
  verifySeconds: number;
  peakWorkerRssMb: number;
  /** Peak VmRSS of one worker while the writer ran, and while the sync caught up (the load's peak is in peakWorkerRssMb). */
  windowPeakRssMb: number;
  catchupPeakRssMb: number;
  loadSeconds: number;
}

export interface BenchConnections {
  postgres: string;
  mariadb: string;
  target: string;
}

const sourceOf = (mode: SyncBenchMode) => (mode === 'mariadb-cdc' ? 'mariadb' : 'postgres');

/**
 * One mode from a fresh source and an empty target: create the mapping and the sync, start
 * it on fresh workers (the initial load runs first), write `rate` changes per second for
 * `seconds`, wait for the last one in the target (the delays are the sync's own, per change,
 * from its batches over that window), then pause, write the catch-up changes, resume and time
 * how fast it catches up; compare both sides exactly and verify with Ferry.
 */
export async function runSyncMode(mode: SyncBenchMode, actor: Actor, connections: BenchConnections, settings: ModeSettings): Promise<ModeResult> {
  const source = sourceOf(mode);
  if (source === 'postgres') await buildPgSource(settings.rows);
  else await buildMariaSource(settings.rows);
  await resetTarget();

  const mapping = await createMapping(actor, {
    name: `sync bench accounts (${mode})`,
    sourceConnectionId: source === 'postgres' ? connections.postgres : connections.mariadb,
    targetConnectionId: connections.target,
    spec: mappingSpecSchema.parse(syncBenchSpec),
  });
  // The benchmark verifies once, at the end; an automatic verification after the load would compete with the writer.
  await prisma().mapping.update({ where: { id: mapping.id }, data: { verifySettings: { autoVerify: false } } });
  const sync = await createSync(actor, {
    mappingId: mapping.id,
    settings: syncSettingsSchema.parse(
      mode === 'polling'
        ? { mode: 'cursor', cursorColumn: 'updated_at', everySeconds: 1, lagMs: settings.lagMs, deletePolicy: 'apply', softDeleteColumn: 'deleted_at', reconcileMinutes: 0, verifyMinutes: 0 }
        : { mode: 'log', deletePolicy: 'apply', verifyMinutes: 0 },
    ),
  });

  const workers = await startWorkers({ count: settings.workers, concurrency: settings.concurrency, bundle: settings.bundle, nodeOptions: settings.nodeOptions });
  const pids = workers.map((w) => w.process.pid as number);
  const rss = new PeakRss(pids);
  const target = new pg.Client({ connectionString: PG_URL(SYNC_BENCH.target) });
  await target.connect();
  const writer = await ChangeWriter.open({ source, deletes: mode === 'polling' ? 'soft' : 'hard', rows: settings.rows, connections: settings.writerConnections });
  const deadline = () => Date.now() + settings.timeoutSeconds * 1000;
  const tail = () => {
    const output = workers.map((w) => w.output().slice(-3000)).join('\n---\n');
    // Nothing will move any more: say so now rather than at the timeout.
    if (workers.every((w) => w.process.exitCode !== null || w.process.signalCode !== null)) throw new WorkersGoneError(output);
    return output;
  };
  let jobId: string | null = null;
  try {
    const loadStarted = performance.now();
    const started = await startSync(actor, sync.id);
    jobId = started.jobId;
    if (started.loadJobId) {
      const status = await waitForStatus(started.loadJobId, ['completed', 'completed_with_errors', 'failed', 'cancelled'], deadline(), tail);
      if (status !== 'completed') throw new Error(`the initial load ended ${status}`);
    }
    await waitForStreaming(started.jobId, deadline(), tail);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    log(`${mode}: initial load and start took ${loadSeconds.toFixed(1)} s; warming up`);
    // One change end to end before the clock starts: the reader is live and the workers' code warm.
    await writer.marker('warm-up');
    await waitForMarker(target, 'warm-up', deadline(), tail);

    const phaseRss = new PhaseRss(pids);
    const cpuBefore = cpuSnapshot(pids);
    const windowStart = new Date();
    log(`${mode}: writing ${settings.rate} changes/s for ${settings.seconds} s`);
    const run = await writer.paced(settings.rate, settings.seconds, (r) =>
      log(`  … ${r.changes} changes in ${r.seconds.toFixed(0)} s (${r.ratePerSecond.toFixed(0)}/s); worker RSS ${pids.map((p) => ((procMemoryKb(p, 'VmRSS') ?? 0) / 1024).toFixed(0)).join('/')} MB`),
    );
    const writerDone = performance.now();
    await writer.marker('after-window');
    await waitForMarker(target, 'after-window', deadline(), tail);
    const drainSeconds = (performance.now() - writerDone) / 1000;
    const windowEnd = new Date();
    log(`${mode}: writer ${describeWriter(run)}; target caught up ${drainSeconds.toFixed(2)} s after the writer stopped`);
    log(`${mode}: ${describeCpu(cpuBefore, cpuSnapshot(pids))}`);
    const delays = await delaysBetween(sync.id, windowStart, windowEnd);
    const windowPeakRssMb = phaseRss.next();

    log(`${mode}: catch-up: pausing the sync, writing ${settings.catchupChanges} changes, resuming`);
    await pauseSync(actor, sync.id);
    await waitForStatus(started.jobId, ['paused'], deadline(), tail);
    const burst = await writer.burst(settings.catchupChanges, 100);
    await writer.marker('caught-up');
    log(`${mode}: ${describeWriter(burst)} while paused`);
    const cpuCatchup = cpuSnapshot(pids);
    const resumedAt = performance.now();
    await resumeSync(actor, sync.id);
    await waitForMarker(target, 'caught-up', deadline(), tail);
    const catchupSeconds = (performance.now() - resumedAt) / 1000;
    const catchup = { writer: burst, seconds: catchupSeconds, perSecond: (burst.changes + 1) / catchupSeconds };
    log(`${mode}: caught up on ${burst.changes + 1} changes in ${catchupSeconds.toFixed(2)} s (${catchup.perSecond.toFixed(0)}/s); ${describeCpu(cpuCatchup, cpuSnapshot(pids))}`);
    const catchupPeakRssMb = phaseRss.next();
    phaseRss.stop();

    const comparison = await compareSourceAndTarget(source);
    log(`${mode}: exact comparison in ${comparison.seconds.toFixed(1)} s: source ${comparison.sourceRows} live rows, target ${comparison.targetRows}; ` +
      `missing ${comparison.missing}, different ${comparison.different}, extra ${comparison.extra}, duplicate keys ${comparison.duplicateKeys}` +
      (comparison.lost + comparison.duplicated > 0 ? ` (e.g. missing ${comparison.examples.missing.join(',')}; different ${comparison.examples.different.join(',')}; extra ${comparison.examples.extra.join(',')})` : ''));
    const failed = await prisma().errorRow.count({ where: { jobId: started.jobId, resolvedAt: null } });
    if (failed > 0) log(`WARNING: ${mode}: ${failed} open error row(s) in the sync`);

    const verify = await runVerify(actor, mapping.id, 100_000, settings.timeoutSeconds);
    log(`${mode}: verification ${verify.status} in ${verify.seconds.toFixed(1)} s: C = ${verify.score}, matched ${verify.matched}, different ${verify.different}, missing ${verify.missing}, extra ${verify.extra}`);

    return {
      mode,
      writer: run,
      delays,
      drainSeconds,
      catchup,
      comparison,
      score: verify.score,
      verifySeconds: verify.seconds,
      peakWorkerRssMb: rss.peakMb(),
      windowPeakRssMb,
      catchupPeakRssMb,
      loadSeconds,
    };
  } finally {
    rss.peakMb();
    await writer.close();
    if (jobId) {
      const status = (await prisma().job.findUnique({ where: { id: jobId }, select: { status: true } }))?.status;
      if (status && !isFinal(status)) {
        await stopSync(actor, sync.id).catch((error: unknown) => log(`could not stop the sync: ${(error as Error).message}`));
        await waitForStatus(jobId, ['cancelled', 'failed'], Date.now() + 60_000, () => '').catch(() => undefined);
      }
    }
    await target.end();
    await stopWorkers(workers);
  }
}

function describeWriter(run: WriterRun): string {
  return `${run.changes} changes (${run.updates} updates, ${run.inserts} inserts, ${run.deletes} deletes; ${run.noops} no-ops) ` +
    `in ${run.transactions} transactions, ${run.seconds.toFixed(2)} s = ${run.ratePerSecond.toFixed(0)}/s`;
}
