import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type mysql from 'mysql2/promise';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { pauseJob, resumeJob } from '@/lib/jobs/control-job';
import { startMigration } from '@/lib/jobs/start-migration';
import { sweepOnce } from '@/lib/jobs/sweep-lost-work';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import { createConnection } from '@/lib/saved-connections/save-connection';
import { jobConditionSchema } from '@/lib/schemas/job-condition';
import { freshMariaDatabase, freshPgDatabase, jobTotals, testAdmin, testConnection, testMapping } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { TcpProxy } from './support/tcp-proxy';
import { expectEventually, waitForJob } from './support/wait';

/**
 * What a job tells its users must be the truth: no "completed" without a plan, every
 * planner failure visible (or fatal at once when no retry can help), an outage handled at
 * job level, the parallel limit held across workers, dead workers' chunks taken over in
 * the documented time.
 */
const SOURCE_PG = 'ferry_it_state_src';
const SOURCE_MARIA = 'ferry_it_state_maria';
const TARGET_DB = 'ferry_it_state_tgt';
const MARIA_USER = 'ferry_it_state';
const MARIA_PASSWORD = 'right-password-1';
const ROWS = 20_000;

let actor: Actor;
let target: pg.Client;
let maria: mysql.Connection;
let workers: SpawnedWorker[] = [];

const spec = (table: string, source = 'people') => ({
  source: { table: source, key: ['id'] },
  target: { table, key: ['id'] },
  fields: [
    { target: 'id', sources: ['id'] },
    { target: 'name', sources: ['name'] },
  ],
});

async function freshTarget(table: string) {
  await target.query(`DROP TABLE IF EXISTS ${table} CASCADE`);
  await target.query(`CREATE TABLE ${table} (id int PRIMARY KEY, name text NOT NULL)`);
}

async function jobRow(jobId: string) {
  return prisma().job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true, stopReason: true, condition: true, startedAt: true } });
}

/** How the automatic verification that follows the mapping's completed migration ends. */
async function automaticVerification(mappingId: string) {
  const verify = await expectEventually(() => prisma().job.findFirstOrThrow({ where: { mappingId, kind: 'verify' }, select: { id: true } }));
  return waitForJob(verify.id, undefined, 60_000);
}

const events = (jobId: string, type: string) => prisma().jobEvent.findMany({ where: { jobId, type }, select: { message: true, at: true }, orderBy: { id: 'asc' } });

async function mariaConnection(password: string) {
  return createConnection(actor, {
    name: `state maria ${Date.now()} ${Math.random()}`,
    kind: 'mysql',
    host: '127.0.0.1',
    port: 3306,
    database: SOURCE_MARIA,
    username: MARIA_USER,
    password,
    sslMode: 'disable',
  });
}

/** The source's login is refused from now on, and its open sessions are cut (a rotated password, a restart). */
async function refuseMariaLogin() {
  await maria.query(`ALTER USER '${MARIA_USER}'@'%' IDENTIFIED BY 'rotated-elsewhere'`);
  const [sessions] = await maria.query<mysql.RowDataPacket[]>(`SELECT id FROM information_schema.PROCESSLIST WHERE user = ?`, [MARIA_USER]);
  for (const { id } of sessions) await maria.query(`KILL CONNECTION ${Number(id)}`).catch(() => undefined);
}
const acceptMariaLogin = () => maria.query(`ALTER USER '${MARIA_USER}'@'%' IDENTIFIED BY '${MARIA_PASSWORD}'`);

async function stopWorkers() {
  await Promise.all(workers.map((w) => w.stop('SIGKILL')));
  workers = [];
}

before(async () => {
  actor = await testAdmin();
  const source = await freshPgDatabase(SOURCE_PG);
  await source.query(`CREATE TABLE people (id int PRIMARY KEY, name text)`);
  await source.query(`INSERT INTO people SELECT g, 'Person ' || g FROM generate_series(1, ${ROWS}) g`);
  await source.end();
  maria = await freshMariaDatabase(SOURCE_MARIA);
  await maria.query(`CREATE TABLE people (id int PRIMARY KEY, name varchar(100))`);
  await maria.query(`INSERT INTO people SELECT seq, concat('Person ', seq) FROM seq_1_to_200000`);
  await maria.query(`DROP USER IF EXISTS '${MARIA_USER}'@'%'`);
  await maria.query(`CREATE USER '${MARIA_USER}'@'%' IDENTIFIED BY '${MARIA_PASSWORD}'`);
  await maria.query(`GRANT SELECT ON \`${SOURCE_MARIA}\`.* TO '${MARIA_USER}'@'%'`);
  target = await freshPgDatabase(TARGET_DB);
});

after(async () => {
  await stopWorkers();
  await maria?.query(`DROP USER IF EXISTS '${MARIA_USER}'@'%'`).catch(() => undefined);
  await maria?.end();
  await target?.end();
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
});

describe('planner failures are visible, and fatal at once when no retry can help', () => {
  test('a source that refuses the login fails the job at once, with the reason and what to do; the sweeper leaves it failed', async () => {
    workers.push(spawnWorker());
    await freshTarget('refused');
    const src = await mariaConnection(MARIA_PASSWORD);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const mapping = await testMapping(actor, 'state refused login', src.id, tgt.id, spec('refused'));
    await refuseMariaLogin();
    let job: { id: string };
    try {
      job = await startMigration(actor, { mappingId: mapping.id, options: {} });
      assert.equal(await waitForJob(job.id, undefined, 20_000), 'failed');
    } finally {
      await acceptMariaLogin();
    }
    const row = await jobRow(job.id);
    assert.match(row.stopReason ?? '', /Planning failed: source: .*Access denied/i);
    assert.match(row.stopReason ?? '', /password of the connection/);
    assert.equal((await events(job.id, 'planner_retry')).length, 0, 'a wrong password is not retried');
    assert.equal((await events(job.id, 'failed')).length, 1);

    await sweepOnce(1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal((await jobRow(job.id)).status, 'failed', 'the sweeper never revives a failed job');
  });

  test('a dropped target table fails the job at once, naming the side and the table', async () => {
    await target.query(`DROP TABLE IF EXISTS dropped`);
    const src = await testConnection(actor, 'postgres', SOURCE_PG);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    await freshTarget('dropped');
    const mapping = await testMapping(actor, 'state dropped target', src.id, tgt.id, spec('dropped'));
    await target.query(`DROP TABLE dropped`);
    const job = await startMigration(actor, { mappingId: mapping.id, options: {} });
    assert.equal(await waitForJob(job.id, undefined, 20_000), 'failed');
    const row = await jobRow(job.id);
    assert.match(row.stopReason ?? '', /target: Table "dropped" not found/);
    assert.match(row.stopReason ?? '', /Create the table/);
  });

  test('a full reload of a table another references by foreign key fails at once, saying why and what to do', async () => {
    await freshTarget('parents');
    await target.query(`DROP TABLE IF EXISTS children; CREATE TABLE children (id int PRIMARY KEY, parent_id int REFERENCES parents(id))`);
    const src = await testConnection(actor, 'postgres', SOURCE_PG);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const mapping = await testMapping(actor, 'state fk reload', src.id, tgt.id, spec('parents'));
    const job = await startMigration(actor, { mappingId: mapping.id, options: { fullReload: true }, confirmFullReload: 'parents' });
    assert.equal(await waitForJob(job.id, undefined, 20_000), 'failed');
    const row = await jobRow(job.id);
    assert.match(row.stopReason ?? '', /foreign key/);
    assert.match(row.stopReason ?? '', /without a full reload/);
  });

  test('an unreachable source: each attempt is an event, the job says "retrying"; paused while planning, resumed once fixed, it plans and copies everything', async () => {
    const proxy = new TcpProxy(5432);
    await proxy.accept();
    try {
      await freshTarget('unplanned');
      const src = await createConnection(actor, {
        name: `state unreachable ${Date.now()}`,
        kind: 'postgres',
        host: '127.0.0.1',
        port: proxy.port,
        database: SOURCE_PG,
        username: 'postgres',
        sslMode: 'disable',
      });
      const tgt = await testConnection(actor, 'postgres', TARGET_DB);
      const mapping = await testMapping(actor, 'state unreachable source', src.id, tgt.id, spec('unplanned'));
      await proxy.refuse();
      const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 5000 } });

      const condition = await expectEventually(async () => {
        const parsed = jobConditionSchema.safeParse((await jobRow(job.id)).condition);
        if (!parsed.success || parsed.data.attempt < 2) throw new Error('not retrying twice yet');
        return parsed.data;
      });
      assert.equal(condition.state, 'retrying');
      assert.equal(condition.maxAttempts, 8);
      assert.match(condition.reason, /planning failed: source: /);
      const retries = await events(job.id, 'planner_retry');
      assert.ok(retries.length >= 2, 'every failed attempt is an event');
      assert.match(retries[0].message, /Planning attempt 1 of 8 failed: .*next attempt at/);
      const started = (await jobRow(job.id)).startedAt;
      assert.ok(started);

      assert.equal(await pauseJob(actor, job.id), 'paused');
      await proxy.accept();
      assert.equal(await resumeJob(actor, job.id), 'queued');
      assert.equal(await waitForJob(job.id, undefined, 60_000), 'completed');
      const totals = await jobTotals(job.id);
      assert.equal(totals.written, ROWS, 'the resumed job planned again and copied every row');
      assert.equal((await target.query(`SELECT count(*)::int AS n FROM unplanned`)).rows[0].n, ROWS);
      assert.equal((await jobRow(job.id)).startedAt?.getTime(), started.getTime(), 'a retry does not restart the clock');
      assert.equal((await jobRow(job.id)).condition, null);
      // Its automatic verification reads the source through the proxy too: it finishes while
      // the proxy still accepts, instead of retrying in the shared test database afterwards.
      assert.equal(await automaticVerification(mapping.id), 'completed');
    } finally {
      await proxy.refuse();
    }
  });
});

describe('an outage mid-job is a job-level condition', () => {
  test('the source refuses logins mid-job: the job says "waiting", no chunk spends its retries, and it continues by itself', async () => {
    await stopWorkers();
    workers.push(spawnWorker(), spawnWorker());
    await freshTarget('outage');
    const src = await mariaConnection(MARIA_PASSWORD);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const mapping = await testMapping(actor, 'state outage', src.id, tgt.id, spec('outage'));
    const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 5000, batchRows: 500 } });
    await expectEventually(async () => ((await jobTotals(job.id)).read >= 5000 ? true : null), { timeoutMs: 60_000, intervalMs: 20 });
    await refuseMariaLogin();
    try {
      const waiting = await expectEventually(async () => {
        const parsed = jobConditionSchema.safeParse((await jobRow(job.id)).condition);
        if (!parsed.success) throw new Error('not waiting yet');
        return parsed.data;
      });
      assert.equal(waiting.state, 'waiting');
      assert.equal(waiting.side, 'source');
      assert.match(waiting.reason, /^source refuses login: /);
      // Long enough for every chunk to have spent its retries the old way.
      await new Promise((resolve) => setTimeout(resolve, 12_000));
      const row = await jobRow(job.id);
      assert.equal(row.status, 'running');
      assert.equal(await prisma().chunk.count({ where: { jobId: job.id, status: 'failed' } }), 0);
      assert.equal(await prisma().chunk.count({ where: { jobId: job.id, status: 'running' } }), 0, 'nothing runs while the job waits');
      const warnings = await prisma().jobEvent.count({ where: { jobId: job.id, level: { in: ['warn', 'error'] } } });
      assert.ok(warnings <= 10, `one condition, not a warning per chunk attempt (${warnings} warnings)`);
      assert.ok((await jobTotals(job.id)).read < 200_000, 'the outage came too late to matter');
    } finally {
      await acceptMariaLogin();
    }
    assert.equal(await waitForJob(job.id, undefined, 120_000), 'completed');
    assert.equal((await jobTotals(job.id)).written, 200_000);
    assert.equal((await events(job.id, 'recovered')).length, 1);
    assert.equal((await jobRow(job.id)).condition, null);
  });

  test('past its waiting window the job pauses with the cause named, and resumes once fixed', async () => {
    await freshTarget('gave_up');
    const src = await mariaConnection(MARIA_PASSWORD);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const mapping = await testMapping(actor, 'state gave up', src.id, tgt.id, spec('gave_up'));
    const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 5000, batchRows: 500, waitForDatabaseMinutes: 0.1 } });
    await expectEventually(async () => ((await jobTotals(job.id)).read >= 5000 ? true : null), { timeoutMs: 60_000, intervalMs: 20 });
    await refuseMariaLogin();
    try {
      assert.equal(await waitForJob(job.id, ['paused'], 60_000), 'paused');
      const row = await jobRow(job.id);
      assert.match(row.stopReason ?? '', /^Paused after waiting \d+ min: source refuses login \(since .*\): .*resume/);
    } finally {
      await acceptMariaLogin();
    }
    assert.equal(await resumeJob(actor, job.id), 'running');
    assert.equal(await waitForJob(job.id, undefined, 120_000), 'completed');
    assert.equal((await jobTotals(job.id)).written, 200_000);
  });
});

describe('a target table dropped mid-job', () => {
  test('fails the job at once with what to do, and no row becomes an error row', async () => {
    await freshTarget('dropped_mid_job');
    const src = await mariaConnection(MARIA_PASSWORD);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const mapping = await testMapping(actor, 'state dropped mid-job', src.id, tgt.id, spec('dropped_mid_job'));
    const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 5000, batchRows: 500 } });
    await expectEventually(async () => ((await jobTotals(job.id)).read >= 5000 ? true : null), { timeoutMs: 60_000, intervalMs: 20 });
    await target.query(`DROP TABLE dropped_mid_job`);
    assert.equal(await waitForJob(job.id, undefined, 60_000), 'failed');
    const row = await jobRow(job.id);
    assert.match(row.stopReason ?? '', /dropped_mid_job" does not exist/);
    assert.match(row.stopReason ?? '', /Create the table/);
    assert.equal(await prisma().errorRow.count({ where: { jobId: job.id } }), 0, 'the rows were not at fault');
  });
});

describe('limits and takeover', () => {
  test('maxParallelChunks holds across all workers', async () => {
    await stopWorkers();
    workers.push(spawnWorker({ WORKER_CONCURRENCY: '2' }), spawnWorker({ WORKER_CONCURRENCY: '2' }));
    await freshTarget('limited');
    const src = await mariaConnection(MARIA_PASSWORD);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const mapping = await testMapping(actor, 'state limited', src.id, tgt.id, spec('limited'));
    const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 10_000, batchRows: 1000, maxParallelChunks: 1 } });
    let most = 0;
    let samples = 0;
    for (;;) {
      const [running, status] = await Promise.all([
        prisma().chunk.count({ where: { jobId: job.id, status: 'running' } }),
        prisma().job.findUniqueOrThrow({ where: { id: job.id }, select: { status: true } }),
      ]);
      most = Math.max(most, running);
      samples += 1;
      if (status.status !== 'running' && status.status !== 'planning' && status.status !== 'queued') break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(await waitForJob(job.id), 'completed');
    assert.ok(samples > 20, 'sampled while the job ran');
    assert.equal(most, 1, `at most one chunk ran at once (saw ${most})`);
    assert.equal((await jobTotals(job.id)).written, 200_000);
  });

  test('a SIGKILLed worker: its chunk is marked and taken over within 25 s with the default settings', async () => {
    await stopWorkers();
    const doomed = spawnWorker({ WORKER_CONCURRENCY: '1' });
    workers.push(doomed);
    await freshTarget('taken_over');
    const src = await mariaConnection(MARIA_PASSWORD);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const mapping = await testMapping(actor, 'state takeover', src.id, tgt.id, spec('taken_over'));
    const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 200_000, batchRows: 200 } });
    await expectEventually(async () => ((await jobTotals(job.id)).read >= 2000 ? true : null), { timeoutMs: 60_000, intervalMs: 20 });
    workers.push(spawnWorker({ WORKER_CONCURRENCY: '1' }));
    doomed.process.kill('SIGKILL');
    await doomed.exited;
    const killedAt = Date.now();
    assert.ok((await jobTotals(job.id)).read < 200_000, 'the kill came too late to test a takeover');
    const takenOver = await expectEventually(
      async () => {
        const chunk = await prisma().chunk.findFirstOrThrow({ where: { jobId: job.id }, select: { attempts: true, status: true } });
        return chunk.attempts >= 2 ? Date.now() : null;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}; the surviving worker said:\n${workers.at(-1)?.output().slice(-3000)}`);
    });
    const seconds = ((takenOver ?? Date.now()) - killedAt) / 1000;
    assert.ok(seconds < 25, `taken over after ${seconds.toFixed(1)} s`);
    const marked = await events(job.id, 'chunk_taken_over');
    assert.equal(marked.length, 1);
    assert.match(marked[0].message, /stopped sending heartbeats/);
    assert.equal(await waitForJob(job.id, undefined, 120_000), 'completed');
    assert.equal((await jobTotals(job.id)).written, 200_000);
    console.log(`takeover after SIGKILL: ${seconds.toFixed(1)} s`);
    // Settled before `after` kills the workers, not left for later test files' workers.
    assert.equal(await automaticVerification(mapping.id), 'completed');
  });
});
