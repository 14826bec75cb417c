import './support/test-env';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '@/lib/auth/roles';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { errorRowFilterSchema, listErrorRows } from '@/lib/jobs/error-rows';
import { getJobProgress, listJobs } from '@/lib/jobs/job-progress';
import { startMigration } from '@/lib/jobs/start-migration';
import { startReplay } from '@/lib/jobs/start-replay';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import { saveMappingVersion } from '@/lib/saved-mappings/save-mapping';
import { describeCondition, type JobCondition } from '@/lib/schemas/job-condition';
import { mappingSpecSchema } from '@/lib/schemas/mapping-spec';
import { freshPgDatabase, jobTotals, testAdmin, testConnection, testMapping } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { waitForJob } from './support/wait';

const SOURCE_DB = 'ferry_it_truth_src';
const TARGET_DB = 'ferry_it_truth_tgt';
let actor: Actor;
let mappingId: string;
const workers: SpawnedWorker[] = [];
const fakeWorkers: string[] = [];
const fakeJobs: string[] = [];

// Status 'P' is unknown to v1 (every 10th row); every 50th row also has a bad email.
const spec = (statusMap: Record<string, string>) => ({
  source: { table: 'people', key: ['id'] },
  target: { table: 'contacts', key: ['id'] },
  fields: [
    { target: 'id', sources: ['id'] },
    { target: 'email', sources: ['email'], transforms: [{ op: 'email' }] },
    { target: 'status', sources: ['status'], transforms: [{ op: 'value_map', map: statusMap }] },
  ],
});

const all = errorRowFilterSchema.parse({});

/** A job row in a given state, without workers: the page's view of it is what is tested. */
async function jobRow(data: { status?: 'running' | 'paused' | 'queued'; rowsEstimated?: number; rowsEstimateExact?: boolean; condition?: object }) {
  const version = await prisma().mappingVersion.findFirstOrThrow({ where: { mappingId }, select: { id: true } });
  const job = await prisma().job.create({
    data: { kind: 'migration', mappingId, mappingVersionId: version.id, rowsEstimated: data.rowsEstimated, rowsEstimateExact: data.rowsEstimateExact, condition: data.condition },
    select: { id: true },
  });
  fakeJobs.push(job.id);
  // Through a status change, so the running-time trigger sees the job start.
  if (data.status && data.status !== 'queued') await prisma().job.update({ where: { id: job.id }, data: { status: 'running', startedAt: new Date(), plannedAt: new Date() } });
  if (data.status === 'paused') await prisma().job.update({ where: { id: job.id }, data: { status: 'paused' } });
  return job.id;
}

before(async () => {
  actor = await testAdmin();
  const source = await freshPgDatabase(SOURCE_DB);
  await source.query(`CREATE TABLE people (id int PRIMARY KEY, email text, status text)`);
  await source.query(`INSERT INTO people SELECT g, CASE WHEN g % 50 = 0 THEN 'nobody' ELSE 'p' || g || '@example.com' END,
                      CASE WHEN g % 10 = 0 THEN 'P' ELSE 'A' END FROM generate_series(1, 2000) g`);
  await source.end();
  const target = await freshPgDatabase(TARGET_DB);
  await target.query(`CREATE TABLE contacts (id int PRIMARY KEY, email text NOT NULL, status text NOT NULL)`);
  await target.end();
  const src = await testConnection(actor, 'postgres', SOURCE_DB);
  const tgt = await testConnection(actor, 'postgres', TARGET_DB);
  mappingId = (await testMapping(actor, 'it job page truth', src.id, tgt.id, spec({ A: 'active' }))).id;
});

after(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  // Rows made by hand go, so no later test's worker sweeps them up as lost work.
  await prisma().job.deleteMany({ where: { id: { in: fakeJobs } } });
  await prisma().workerProcess.deleteMany({ where: { id: { in: fakeWorkers } } });
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
});

describe('the job page never contradicts itself', () => {
  test('after a replay, failed = still open + resolved on the original; the replay lists its own outcomes', async () => {
    workers.push(spawnWorker());
    const job = await startMigration(actor, { mappingId, options: { chunkRows: 500, batchRows: 100 } });
    assert.equal(await waitForJob(job.id), 'completed_with_errors');
    // 200 rows with status P (the 40 bad emails are among them).
    assert.equal((await jobTotals(job.id)).failed, 200);
    await saveMappingVersion(actor, mappingId, { spec: mappingSpecSchema.parse(spec({ A: 'active', P: 'prospect' })) });
    const replay = await startReplay(actor, job.id, {});
    assert.equal(await waitForJob(replay.id), 'completed_with_errors');
    // The other tests build job rows by hand; no worker may take them up.
    await workers.pop()?.stop();

    // The original: counters, breakdown, banner and list agree.
    const original = await getJobProgress(job.id);
    assert.equal((await listErrorRows(job.id, all)).total, 40);
    assert.match(original.stopReason ?? '', /^200 row\(s\) did not land: 40 still open\b.*160 landed after replay/);
    assert.equal(original.totals.failed, 200);
    assert.deepEqual(original.failedRows, { failed: 200, open: 40, resolved: 160, resolvedBy: [{ jobId: replay.id, rows: 160 }] });
    assert.equal((await listErrorRows(job.id, errorRowFilterSchema.parse({ includeResolved: 'true' }))).total, 200);
    const listedOriginal = (await listJobs({ mappingId })).find((j) => j.id === job.id);
    assert.equal(listedOriginal?.failed, 200);
    assert.deepEqual(listedOriginal?.failedRows, { failed: 200, open: 40, resolved: 160 });

    // The replay: its counters, its banner and its own list (landed rows and rows that failed again).
    const ran = await getJobProgress(replay.id);
    const outcomes = await listErrorRows(replay.id, all);
    assert.equal(outcomes.total, 200);
    assert.deepEqual({ read: ran.totals.read, written: ran.totals.written, failed: ran.totals.failed }, { read: 200, written: 160, failed: 40 });
    assert.deepEqual(ran.replayOutcome, { parentJobId: job.id, tried: 200, landed: 160, failedAgain: 40, stillOpen: 40, retriedLater: 0 });
    assert.doesNotMatch(ran.stopReason ?? '', /listed as error rows/);
    assert.match(ran.stopReason ?? '', /160 landed, 40 failed again/);
    const landed = await listErrorRows(replay.id, errorRowFilterSchema.parse({ take: 500 }));
    assert.equal(landed.rows.filter((r) => r.resolvedByJobId === replay.id).length, 160);
    assert.equal(landed.rows.filter((r) => r.resolvedAt === null).length, 40);
    assert.deepEqual(
      outcomes.facets.map((f) => f.code),
      ['invalid_email'],
      'facets describe the rows still failing',
    );
  });

  test('the ETA divides by running time: a job paused for an hour and resumed is not made slow by the pause', async () => {
    const jobId = await jobRow({ status: 'running', rowsEstimated: 10_000 });
    // It started an hour ago, ran 60 s in all before this stretch (the rest was paused) and read 6,000 rows.
    await prisma().job.update({ where: { id: jobId }, data: { startedAt: new Date(Date.now() - 3_600_000), activeSeconds: 60 } });
    await prisma().chunk.create({ data: { jobId, seq: 0, status: 'running', rowsRead: 6000, rowsWritten: 6000 } });
    const progress = await getJobProgress(jobId);
    // 4,000 rows left at ~100 rows/s of running time: ~40 s, not the 40 min the wall clock gives.
    assert.ok(progress.rate.etaSeconds !== null && progress.rate.etaSeconds >= 38 && progress.rate.etaSeconds < 50, `eta ${progress.rate.etaSeconds} s`);
    assert.ok(progress.rate.runningSeconds >= 60 && progress.rate.runningSeconds < 70, `running ${progress.rate.runningSeconds} s`);
    assert.ok(progress.rate.rowsPerSecond > 85 && progress.rate.rowsPerSecond <= 100, `rate ${progress.rate.rowsPerSecond}`);

    // The trigger stops the clock while paused.
    await prisma().job.update({ where: { id: jobId }, data: { status: 'paused' } });
    const paused = await prisma().job.findUniqueOrThrow({ where: { id: jobId }, select: { activeSeconds: true, activeSince: true } });
    assert.equal(paused.activeSince, null);
    const later = await getJobProgress(jobId);
    assert.ok(Math.abs(later.rate.runningSeconds - paused.activeSeconds) < 0.01);
  });

  test('a running chunk on a worker that stopped sending heartbeats is marked, not shown as running', async () => {
    const jobId = await jobRow({ status: 'running', rowsEstimated: 1000 });
    const live = `it-live-${randomUUID().slice(0, 8)}`;
    const dead = `it-dead-${randomUUID().slice(0, 8)}`;
    const lastBeat = new Date(Date.now() - 60_000);
    fakeWorkers.push(live, dead);
    await prisma().workerProcess.create({ data: { id: live, hostname: 'it', pid: 1, concurrency: 1 } });
    await prisma().workerProcess.create({ data: { id: dead, hostname: 'it', pid: 2, concurrency: 1, heartbeatAt: lastBeat } });
    await prisma().chunk.createMany({
      data: [
        { jobId, seq: 0, status: 'running', workerId: live, heartbeatAt: new Date() },
        { jobId, seq: 1, status: 'running', workerId: dead, heartbeatAt: lastBeat },
        // Its worker row is gone (and the chunk has not checkpointed for a minute).
        { jobId, seq: 2, status: 'running', workerId: 'it-vanished', heartbeatAt: lastBeat },
        { jobId, seq: 3, status: 'pending' },
      ],
    });
    const progress = await getJobProgress(jobId);
    const bySeq = new Map(progress.chunks.map((c) => [c.seq, c]));
    assert.equal(bySeq.get(0)?.workerLostAt, null);
    assert.equal(bySeq.get(1)?.workerLostAt?.getTime(), lastBeat.getTime());
    assert.equal(bySeq.get(2)?.workerLostAt?.getTime(), lastBeat.getTime());
    assert.equal(bySeq.get(3)?.workerLostAt, null);
    assert.deepEqual({ running: progress.chunkCounts.running, workerLost: progress.chunkCounts.workerLost }, { running: 1, workerLost: 2 });
  });

  test('the job condition is parsed and described; an invalid one is ignored; paused jobs do not show it', async () => {
    const condition: JobCondition = {
      state: 'waiting',
      reason: 'source refuses login: password authentication failed',
      side: 'source',
      since: new Date(Date.now() - 60_000).toISOString(),
      attempt: 3,
      maxAttempts: null,
      nextAt: new Date(Date.now() + 30_000).toISOString(),
      giveUpAt: null,
    };
    const waiting = await jobRow({ status: 'running', condition });
    const progress = await getJobProgress(waiting);
    assert.deepEqual(progress.condition, condition);
    assert.equal(progress.conditionText, describeCondition(condition));
    const listed = (await listJobs({ mappingId })).find((j) => j.id === waiting);
    assert.deepEqual(listed?.condition, { state: 'waiting', text: describeCondition(condition) });

    const garbled = await jobRow({ status: 'running', condition: { state: 'sleeping' } });
    assert.equal((await getJobProgress(garbled)).condition, null);
    assert.equal((await listJobs({ mappingId })).find((j) => j.id === garbled)?.condition, null);

    const retrying = await jobRow({ status: 'queued', condition: { ...condition, state: 'retrying', maxAttempts: 8 } });
    assert.match((await getJobProgress(retrying)).conditionText ?? '', /^retrying: source refuses login.*\(attempt 3 of 8, next at/);

    const paused = await jobRow({ status: 'paused', condition });
    assert.equal((await getJobProgress(paused)).conditionText, null);
  });

  test('progress says whether its total is an exact count or an estimate', async () => {
    const estimated = await jobRow({ status: 'running', rowsEstimated: 1_000_000 });
    assert.deepEqual((await getJobProgress(estimated)).estimate, { rows: 1_000_000, exact: false });
    const counted = await jobRow({ status: 'running', rowsEstimated: 2000, rowsEstimateExact: true });
    assert.deepEqual((await getJobProgress(counted)).estimate, { rows: 2000, exact: true });
    const unknown = await jobRow({ status: 'queued' });
    assert.equal((await getJobProgress(unknown)).estimate, null);
  });
});
