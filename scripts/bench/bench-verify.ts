/**
 * Verification benchmark: npm run bench:verify -- --customers 1000000
 *
 * Pass 1: the legacy customers (MariaDB legacy_crm_bench, filled like the migration
 * benchmark's) migrated by Ferry into new_crm_bench.customers_copy with a plain-copy
 * mapping (loaded once, kept between runs), verified with 2 worker processes. In the same
 * run it measures the lower bound, one in-database hash scan of each side, and prints one
 * JSON line {"rows", "seconds", "scan_seconds", "ratio", "peak_worker_rss_mb", "score", …}
 * on stdout. Target: ratio ≤ 2 for the fully matching table.
 * Pass 2: alters, deletes and inserts 1 % of the target rows, verifies again and checks
 * every count is exact, then repairs (deleting the extra rows) and verifies back to 100 %.
 *
 * --mapping contacts verifies the migration benchmark's customers → contacts instead (its
 * transforms make the source stream through Node; run bench:migrate first; pass 1 only).
 * Options: --workers 2 --concurrency 2 --chunk-rows 100000 --timeout 3600 (s). Progress on stderr.
 */
import { BENCH, log } from './bench-env';
import { VERIFY_BENCH, benchMapping, ensureCopyTable, hashScans, plainCopySpec, prepareVerifyMetadata, reportCounts, startWorkers, stopWorkers, tamperTarget, withTarget } from './verify-fixture';
import { parseArgs } from 'node:util';
import type { Actor } from '@/lib/auth/roles';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { isFinal } from '@/lib/jobs/job-state';
import { startMigration } from '@/lib/jobs/start-migration';
import { startRepair } from '@/lib/jobs/start-repair';
import { startVerify } from '@/lib/jobs/start-verify';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import { loadDemoData } from '../demo-data/load-demo-data';
import { PeakRss } from './peak-rss';
import { benchMappingSpec } from './run-migration';

// Own metadata database and queue (see verify-fixture.ts); lib/ reads the environment lazily.
process.env.DATABASE_URL = VERIFY_BENCH.metadataUrl;
process.env.QUEUE_PREFIX = VERIFY_BENCH.queuePrefix;

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    mapping: { type: 'string', default: 'plain' },
    workers: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '2' },
    'chunk-rows': { type: 'string', default: '100000' },
    timeout: { type: 'string', default: '3600' },
  },
});
const int = (name: string, text: string) => {
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${text}"`);
  return n;
};
const customers = int('customers', values.customers);
const chunkRows = int('chunk-rows', values['chunk-rows']);
const timeoutMs = int('timeout', values.timeout) * 1000;
const TARGET_RATIO = 2;

async function waitFor(jobId: string, what: string): Promise<string> {
  const started = Date.now();
  for (;;) {
    const job = await prisma().job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, stopReason: true } });
    if (isFinal(job.status)) return job.status;
    if (Date.now() - started > timeoutMs) throw new Error(`${what} ${jobId} still ${job.status} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A verification, timed from its creation to its report's finish (both set in PostgreSQL). */
async function timedVerify(actor: Actor, mappingId: string) {
  const { jobId, reportId } = await startVerify({ mappingId, actor, options: { chunkRows } });
  const status = await waitFor(jobId, 'verification');
  if (status !== 'completed') throw new Error(`verification ${jobId} ended ${status}`);
  const report = await reportCounts(reportId);
  const seconds = ((report.finishedAt?.getTime() ?? Date.now()) - report.createdAt.getTime()) / 1000;
  const { matched, different, missing, extra, streamedRows, hashQueries } = report;
  log(`verification ${jobId}: ${seconds.toFixed(2)} s, score ${report.score}, ${JSON.stringify({ matched, different, missing, extra, streamedRows, hashQueries })}`);
  return { reportId, seconds, report };
}

async function loadCopy(actor: Actor, mappingId: string): Promise<void> {
  log(`loading ${VERIFY_BENCH.copyTable} with Ferry (plain copy of ${customers} customers)…`);
  const started = performance.now();
  const job = await startMigration(actor, { mappingId, options: { chunkRows: 50_000, batchRows: 5_000 } });
  const status = await waitFor(job.id, 'migration');
  log(`  migration ${status} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (status !== 'completed') throw new Error(`the plain copy ended ${status}; see job ${job.id}`);
  await withTarget((db) => db.query(`VACUUM ANALYZE ${VERIFY_BENCH.copyTable}`));
}

/** The repair, then the verification it starts; returns that verification's score. */
async function repairAndVerify(actor: Actor, reportId: string): Promise<number | null> {
  const repair = await startRepair(actor, reportId, { deleteExtra: true, confirm: VERIFY_BENCH.copyTable });
  const started = performance.now();
  log(`repair ${await waitFor(repair.id, 'repair')} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  let verifyJobId: string | null = null;
  while (!verifyJobId) {
    verifyJobId = (await prisma().consistencyRepair.findUniqueOrThrow({ where: { jobId: repair.id } })).verifyJobId;
    if (!verifyJobId) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  log(`verification after the repair: ${await waitFor(verifyJobId, 'verification')}`);
  return (await prisma().consistencyReport.findFirstOrThrow({ where: { jobId: verifyJobId }, select: { score: true } })).score;
}

async function main(): Promise<void> {
  const contacts = values.mapping === 'contacts';
  if (!contacts && values.mapping !== 'plain') throw new Error('--mapping must be plain or contacts');
  await loadDemoData({ customers, legacyDatabase: BENCH.legacyMaria, targetDatabase: BENCH.target, log: (l) => log(`  ${l}`) });
  const { actor, source, target } = await prepareVerifyMetadata();
  const spec = contacts ? benchMappingSpec({ phone: false, plainEmail: false }) : plainCopySpec;
  const mapping = await benchMapping(actor, `bench verify ${values.mapping}`, source, target, spec);
  if (!contacts && (await ensureCopyTable(customers))) {
    const loaders = await startWorkers(int('workers', values.workers), values.concurrency);
    await loadCopy(actor, mapping.id).finally(() => stopWorkers(loaders));
  }
  const scan = await hashScans(contacts ? 'contacts' : VERIFY_BENCH.copyTable);
  log(`lower bound: hash scan MariaDB ${scan.source.toFixed(2)} s + PostgreSQL ${scan.target.toFixed(2)} s = ${scan.sequential.toFixed(2)} s one after the other, ${scan.concurrent.toFixed(2)} s at once`);

  // Fresh workers: VmHWM is a process's lifetime peak, so it must start with the verification.
  const workers = await startWorkers(int('workers', values.workers), values.concurrency);
  const rss = new PeakRss(workers.map((w) => w.process.pid as number));
  try {
    const pass1 = await timedVerify(actor, mapping.id);
    const line = {
      mapping: values.mapping,
      rows: pass1.report.matched + pass1.report.different + pass1.report.missing,
      seconds: Number(pass1.seconds.toFixed(2)),
      scan_seconds: Number(scan.sequential.toFixed(2)),
      ratio: Number((pass1.seconds / scan.sequential).toFixed(2)),
      scan_seconds_concurrent: Number(scan.concurrent.toFixed(2)),
      ratio_concurrent: Number((pass1.seconds / scan.concurrent).toFixed(2)),
      peak_worker_rss_mb: Number(rss.peakMb().toFixed(1)),
      score: pass1.report.score,
      streamed_rows: pass1.report.streamedRows,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    if (!contacts && line.ratio > TARGET_RATIO) log(`TARGET MISSED: ratio ${line.ratio} > ${TARGET_RATIO}`);
    if (!contacts && pass1.report.score !== 1) log(`WARNING: ${VERIFY_BENCH.copyTable} does not match (score ${pass1.report.score}); drop it to reload`);
    if (contacts) return;

    const tampered = await tamperTarget(VERIFY_BENCH.copyTable, 'cust_id', customers, 0.01);
    log(`pass 2: altered ${tampered.altered}, deleted ${tampered.deleted}, inserted ${tampered.inserted} target rows`);
    const pass2 = await timedVerify(actor, mapping.id);
    const expected = { matched: customers - tampered.altered - tampered.deleted, different: tampered.altered, missing: tampered.deleted, extra: tampered.inserted };
    const got = { matched: pass2.report.matched, different: pass2.report.different, missing: pass2.report.missing, extra: pass2.report.extra };
    const exact = JSON.stringify(got) === JSON.stringify(expected);
    log(exact ? `pass 2: every count is exact (${JSON.stringify(got)}) in ${pass2.seconds.toFixed(2)} s` : `COUNT MISMATCH: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
    const repaired = await repairAndVerify(actor, pass2.reportId);
    log(`score after the repair: ${repaired}; peak worker RSS over both passes and the repair ${rss.peakMb().toFixed(1)} MB`);
    if (!exact || repaired !== 1) process.exitCode = 1;
  } finally {
    await stopWorkers(workers);
  }
}

try {
  await main();
} catch (error) {
  log(`crashed: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
} finally {
  await closeQueue().catch(() => undefined);
  await closeProducerRedis();
  await disconnectPrisma().catch(() => undefined);
}
