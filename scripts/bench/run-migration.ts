import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { prisma } from '@/lib/db/client';
import { isFinal } from '@/lib/jobs/job-state';
import { startMigration } from '@/lib/jobs/start-migration';
import { ferryQueue } from '@/lib/queue/enqueue';
import { createMapping } from '@/lib/saved-mappings/save-mapping';
import { mappingSpecSchema, type MappingSpecInput } from '@/lib/schemas/mapping-spec';
import { spawnWorker, type SpawnedWorker } from '../../tests/integration/support/spawn-worker';
import { BENCH, PG_URL, log } from './bench-env';
import { resetBenchMetadata } from './bench-metadata';
import { PeakRss, procMemoryKb } from './peak-rss';

export type SourceKind = 'postgres' | 'mariadb';

export interface BenchConnections {
  postgres: string;
  mariadb: string;
  target: string;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * A clean metadata database (ferry_bench, dropped and migrated again, so every run starts
 * from empty jobs and error rows), the bench queue emptied in Redis, an admin, and the
 * three connections.
 */
export async function prepareMetadata(): Promise<{ actor: Actor; connections: BenchConnections }> {
  const { actor, connection } = await resetBenchMetadata('ferry_bench', BENCH.metadataUrl, BENCH.queuePrefix);
  const [postgres, mariadb, target] = await Promise.all([
    connection('bench legacy (PostgreSQL)', 'postgres', BENCH.legacyPg),
    connection('bench legacy (MariaDB)', 'mysql', BENCH.legacyMaria),
    connection('bench new CRM (PostgreSQL)', 'postgres', BENCH.target),
  ]);
  return { actor, connections: { postgres: postgres.id, mariadb: mariadb.id, target: target.id } };
}

export interface MappingOptions {
  /** Also normalise phone numbers to E.164 (libphonenumber, the costliest transform). */
  phone: boolean;
  /** trim + lower only, without the `email` check (invalid addresses then fail at write). */
  plainEmail: boolean;
}

/** customers → contacts: 9–10 fields, trim/lower/email, concat, value_map, parse_date … */
export function benchMappingSpec(options: MappingOptions): MappingSpecInput {
  const trim = { op: 'trim' } as const;
  const nullIfEmpty = { op: 'null_if_empty' } as const;
  return {
    source: { table: 'customers', key: ['cust_id'] },
    target: { table: 'contacts', key: ['legacy_id'] },
    writeMode: 'upsert',
    fields: [
      { target: 'legacy_id', sources: ['cust_id'] },
      { target: 'email', sources: ['email_addr'], transforms: options.plainEmail ? [trim, { op: 'lower' }] : [trim, { op: 'lower' }, { op: 'email' }] },
      { target: 'full_name', sources: ['first_nm', 'last_nm'], transforms: [trim, { op: 'concat', separator: ' ' }] },
      { target: 'first_name', sources: ['first_nm'], transforms: [trim, nullIfEmpty] },
      { target: 'last_name', sources: ['last_nm'], transforms: [trim, nullIfEmpty] },
      ...(options.phone ? [{ target: 'phone', sources: ['phone'], transforms: [{ op: 'phone_e164' as const, defaultCountry: 'US' }] }] : []),
      {
        target: 'status',
        sources: ['status'],
        transforms: [trim, { op: 'upper' }, { op: 'value_map', map: { A: 'active', I: 'inactive', P: 'prospect' } }],
      },
      { target: 'company', sources: ['company'], transforms: [trim, nullIfEmpty] },
      { target: 'country', sources: ['country'], transforms: [{ op: 'upper' }] },
      {
        target: 'created_at',
        sources: ['created_dt'],
        transforms: [trim, { op: 'parse_date', formats: ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM-DD-YYYY HH:mm'], timeZone: 'UTC', output: 'timestamptz' }],
      },
    ],
  };
}

export async function createBenchMapping(actor: Actor, source: SourceKind, connections: BenchConnections, options: MappingOptions) {
  const name = `bench customers → contacts (${source})`;
  const old = await prisma().mapping.findUnique({ where: { name }, select: { id: true } });
  if (old) await prisma().mapping.delete({ where: { id: old.id } });
  const mapping = await createMapping(actor, {
    name,
    sourceConnectionId: connections[source],
    targetConnectionId: connections.target,
    spec: mappingSpecSchema.parse(benchMappingSpec(options)),
  });
  // No automatic verification after the run: it would still be scanning both databases when
  // the next source's baseline and migration start (verification has its own benchmark).
  await prisma().mapping.update({ where: { id: mapping.id }, data: { verifySettings: { autoVerify: false } } });
  return mapping;
}

/** Empties contacts (and what references it: empty here) and writes its dirty pages out. */
export async function resetTarget(): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL(BENCH.target) });
  await client.connect();
  try {
    await client.query('TRUNCATE contacts CASCADE');
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}

export interface WorkerProcessOptions {
  count: number;
  concurrency: number;
  /** Extra NODE_OPTIONS for the workers (e.g. "--max-old-space-size=160"), to measure memory settings. */
  nodeOptions?: string;
  /** Run a compiled bundle of workers/main.ts instead of TypeScript through tsx. */
  bundle?: string;
}

/**
 * Bundles workers/main.ts with esbuild (packages stay external) into the temp directory,
 * with a node_modules link so they resolve: what a compiled production worker would run.
 */
export async function buildWorkerBundle(): Promise<string> {
  const dir = path.join(os.tmpdir(), 'ferry-bench-worker');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(path.join(dir, 'node_modules'))) symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const outfile = path.join(dir, 'main.mjs');
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'workers/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    alias: { '@': ROOT },
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

/**
 * A worker from the compiled bundle. BENCH_WORKER_NODE_ARGS adds node flags that
 * NODE_OPTIONS refuses, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile a run's workers.
 */
function spawnBundledWorker(bundle: string, env: Record<string, string>): SpawnedWorker {
  const nodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  return spawnWorker(env, [...nodeArgs, bundle]);
}

export async function startWorkers(options: WorkerProcessOptions): Promise<SpawnedWorker[]> {
  const env: Record<string, string> = { WORKER_CONCURRENCY: String(options.concurrency) };
  if (options.nodeOptions) env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} ${options.nodeOptions}`.trim();
  const workers = Array.from({ length: options.count }, () => (options.bundle ? spawnBundledWorker(options.bundle, env) : spawnWorker(env)));
  const deadline = Date.now() + 60_000;
  try {
    for (const worker of workers) {
      // Ready, not just started: a long-running worker has its connections open when a job comes.
      while (!/\] ready$/m.test(worker.output())) {
        if (worker.process.exitCode !== null) throw new Error(`worker exited at start:\n${worker.output()}`);
        if (Date.now() > deadline) throw new Error(`worker was not ready within 60 s:\n${worker.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await stopWorkers(workers); // no orphans when one of them fails to start
    throw error;
  }
  return workers;
}

/** BENCH_WORKER_LOG_DIR keeps each worker's output (e.g. with --trace-gc) as worker-<pid>.log. */
export async function stopWorkers(workers: SpawnedWorker[]): Promise<void> {
  const logDir = process.env.BENCH_WORKER_LOG_DIR;
  await Promise.all(
    workers.map(async (worker) => {
      const kill = setTimeout(() => worker.process.kill('SIGKILL'), 30_000);
      await worker.stop('SIGTERM');
      clearTimeout(kill);
      if (logDir) {
        mkdirSync(logDir, { recursive: true });
        writeFileSync(path.join(logDir, `worker-${worker.process.pid}.log`), worker.output());
      }
    }),
  );
}

export interface MigrationResult {
  jobId: string;
  status: string;
  rows: number;
  written: number;
  errorRows: number;
  seconds: number;
  errorsByCode: string;
}

export interface MigrationRunOptions {
  workers: number;
  concurrency: number;
  workerNodeOptions?: string;
  workerBundle?: string;
  /** Give up when no chunk made progress for this long (e.g. Redis restarted and lost the queue). */
  stallSeconds: number;
  chunkRows: number;
  batchRows: number;
  timeoutSeconds: number;
  /** Awaited once the workers are ready, before the first job (bench:csv waits there for the workers' early indexing of its file). */
  beforeFirstJob?: (workers: SpawnedWorker[]) => Promise<void>;
}

export interface BenchMigrationRuns {
  /** The workers' first job: it pays for their connections, caches and JIT compilation. */
  firstJob: MigrationResult;
  /** The same migration again on the same workers, as any job on a running deployment. */
  steady: MigrationResult;
  /** Over both jobs. */
  peakWorkerRssMb: number;
}

/**
 * Spawns the workers and runs the migration twice on them, the target emptied in between:
 * first on fresh processes, then as a running deployment runs every later job — the
 * steady state that speed is about, with the start-up cost reported beside it.
 */
export async function runBenchMigration(actor: Actor, mappingId: string, options: MigrationRunOptions): Promise<BenchMigrationRuns> {
  const workers = await startWorkers({ count: options.workers, concurrency: options.concurrency, nodeOptions: options.workerNodeOptions, bundle: options.workerBundle });
  const pids = workers.map((w) => w.process.pid as number);
  const rss = new PeakRss(pids);
  try {
    // The web app's queue connection is long open when an admin starts a job: so is this one.
    await ferryQueue().waitUntilReady();
    await options.beforeFirstJob?.(workers);
    const firstJob = await timeMigration(actor, mappingId, options, workers);
    log(`  first job on fresh workers: ${firstJob.status} in ${firstJob.seconds.toFixed(2)} s; the same migration again on the same workers:`);
    await resetTarget();
    const steady = await timeMigration(actor, mappingId, options, workers);
    log(`  worker peak RSS (VmHWM) per process over both jobs: ${rss.perProcessMb().map((mb) => `${mb.toFixed(0)} MB`).join(', ')}`);
    return { firstJob, steady, peakWorkerRssMb: rss.peakMb() };
  } finally {
    rss.peakMb();
    await stopWorkers(workers);
  }
}

/** Starts the migration, waits for a final status, measures. */
async function timeMigration(actor: Actor, mappingId: string, options: MigrationRunOptions, workers: SpawnedWorker[]): Promise<MigrationResult> {
  const pids = workers.map((w) => w.process.pid as number);
  const startedAt = new Date();
  const started = performance.now();
  const job = await startMigration(actor, { mappingId, options: { chunkRows: options.chunkRows, batchRows: options.batchRows } });
  let lastLog = started;
  let lastRead = -1;
  let lastProgress = started;
  let status: string = job.status;
  let finishedAt: Date | null = null;
  for (;;) {
    const row = await prisma().job.findUniqueOrThrow({ where: { id: job.id }, select: { status: true, finishedAt: true, stopReason: true } });
    status = row.status;
    if (isFinal(row.status)) {
      finishedAt = row.finishedAt;
      break;
    }
    const now = performance.now();
    if (now - lastLog > 10_000) {
      lastLog = now;
      const sums = await prisma().chunk.aggregate({ where: { jobId: job.id }, _sum: { rowsRead: true } });
      const read = sums._sum.rowsRead ?? 0;
      const rssNow = pids.map((pid) => `${((procMemoryKb(pid, 'VmRSS') ?? 0) / 1024).toFixed(0)}`).join('/');
      log(`  … ${row.status}, ${read} rows read after ${((now - started) / 1000).toFixed(0)} s; worker RSS ${rssNow} MB`);
      if (read !== lastRead) {
        lastRead = read;
        lastProgress = now;
      } else if (now - lastProgress > options.stallSeconds * 1000) {
        throw new Error(`migration ${job.id} made no progress for ${options.stallSeconds} s (is Redis still holding the queue? worker output:\n${workers.map((w) => w.output().slice(-2000)).join('\n')})`);
      }
    }
    if (now - started > options.timeoutSeconds * 1000) throw new Error(`migration ${job.id} still ${row.status} after ${options.timeoutSeconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // The job's own finish time (set in the settling transaction), not the poll's.
  const seconds = finishedAt ? (finishedAt.getTime() - startedAt.getTime()) / 1000 : (performance.now() - started) / 1000;
  const sums = await prisma().chunk.aggregate({ where: { jobId: job.id }, _sum: { rowsRead: true, rowsWritten: true } });
  const errorRows = await prisma().errorRow.count({ where: { jobId: job.id } });
  const byCode = await prisma().errorRow.groupBy({ by: ['stage', 'field', 'code'], where: { jobId: job.id }, _count: { _all: true } });
  // Anything but a straight run (a chunk retried, requeued after Redis lost it, handed
  // over) makes the timing unrepresentative: say so.
  const incidents = await prisma().jobEvent.groupBy({ by: ['type'], where: { jobId: job.id, level: { in: ['warn', 'error'] }, type: { not: 'finished' } }, _count: { _all: true } });
  if (incidents.length > 0) {
    log(`WARNING: the run was disturbed (${incidents.map((i) => `${i.type}×${i._count._all}`).join(', ')}); its timing is not representative`);
  }
  await logWhereTimeWent(job.id, startedAt);
  const errorsByCode = byCode
    .sort((a, b) => b._count._all - a._count._all)
    .map((g) => `${g.stage}/${g.field}/${g.code}=${g._count._all}`)
    .join(', ');
  return {
    jobId: job.id,
    status,
    rows: sums._sum.rowsRead ?? 0,
    written: sums._sum.rowsWritten ?? 0,
    errorRows,
    seconds,
    errorsByCode,
  };
}

/**
 * From the job's rows and its chunk_done events: how long planning and queueing took
 * before the first chunk ran, and the per-step time of all chunks (summed over chunks,
 * so with parallel chunks the sum exceeds the wall time).
 */
async function logWhereTimeWent(jobId: string, startedAt: Date): Promise<void> {
  const chunks = await prisma().chunk.findMany({ where: { jobId }, select: { startedAt: true, finishedAt: true } });
  const job = await prisma().job.findUniqueOrThrow({ where: { id: jobId }, select: { finishedAt: true } });
  const first = Math.min(...chunks.map((c) => c.startedAt?.getTime() ?? Infinity));
  const last = Math.max(...chunks.map((c) => c.finishedAt?.getTime() ?? 0));
  log(`  ${chunks.length} chunks; start → first chunk running ${((first - startedAt.getTime()) / 1000).toFixed(2)} s, ` +
    `last chunk done → job finished ${(((job.finishedAt?.getTime() ?? last) - last) / 1000).toFixed(2)} s`);
  const events = await prisma().jobEvent.findMany({ where: { jobId, type: 'chunk_done' }, select: { data: true } });
  const sums = new Map<string, number>();
  for (const event of events) {
    const steps = (event.data as { stepMs?: Record<string, number> } | null)?.stepMs ?? {};
    for (const [step, v] of Object.entries(steps)) sums.set(step, (sums.get(step) ?? 0) + v);
  }
  if (sums.size > 0) log(`  chunk steps summed over chunks (ms or counts): ${[...sums].map(([k, v]) => `${k} ${v}`).join(', ')}`);
}
