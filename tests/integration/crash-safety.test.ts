import './support/test-env';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { createConnection } from '@/lib/saved-connections/save-connection';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { startMigration } from '@/lib/jobs/start-migration';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import { freshPgDatabase, jobTotals, testAdmin, testConnection, testMapping } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { TcpProxy } from './support/tcp-proxy';
import { expectEventually, waitForJob } from './support/wait';

const SOURCE_DB = 'ferry_it_crash_src';
const TARGET_DB = 'ferry_it_crash_tgt';
const ROWS = 200_000;
const BAD = ROWS / 1000; // every 1,000th row has an invalid email
const recovery = { WORKER_CONCURRENCY: '1', WORKER_LOCK_MS: '4000', WORKER_SWEEP_MS: '1500', BATCH_TIMEOUT_MS: '10000' };

let actor: Actor;
let target: pg.Client;
let workers: SpawnedWorker[] = [];

const spec = (table: string) => ({
  source: { table: 'people', key: ['id'] },
  target: { table, key: ['id'] },
  fields: [
    { target: 'id', sources: ['id'] },
    { target: 'email', sources: ['email'], transforms: [{ op: 'email' }] },
    { target: 'name', sources: ['name'] },
  ],
});

async function freshTarget(table: string) {
  await target.query(`DROP TABLE IF EXISTS ${table}`);
  await target.query(`CREATE TABLE ${table} (id int PRIMARY KEY, email text NOT NULL UNIQUE, name text NOT NULL)`);
}

/** The job finished with every valid row in the target once, and exact counters. */
async function assertExact(jobId: string, table: string) {
  assert.equal(await waitForJob(jobId, undefined, 120_000), 'completed_with_errors');
  const totals = await jobTotals(jobId);
  assert.deepEqual({ read: totals.read, written: totals.written, failed: totals.failed }, { read: ROWS, written: ROWS - BAD, failed: BAD });
  const landed = await target.query(`SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids, max(id) AS top FROM ${table}`);
  assert.deepEqual(landed.rows[0], { n: ROWS - BAD, ids: ROWS - BAD, top: ROWS - 1 });
  assert.equal(await prisma().errorRow.count({ where: { jobId } }), BAD);
}

async function rowsRead(jobId: string) {
  return (await jobTotals(jobId)).read;
}

async function migrate(table: string, targetConnectionId: string, chunkRows: number) {
  await freshTarget(table);
  const src = await testConnection(actor, 'postgres', SOURCE_DB);
  const mapping = await testMapping(actor, `crash ${table}`, src.id, targetConnectionId, spec(table));
  return startMigration(actor, { mappingId: mapping.id, options: { chunkRows, batchRows: 1000 } });
}

before(async () => {
  actor = await testAdmin();
  const source = await freshPgDatabase(SOURCE_DB);
  await source.query(`CREATE TABLE people (id int PRIMARY KEY, email text, name text)`);
  await source.query(`INSERT INTO people SELECT g, CASE WHEN g % 1000 = 0 THEN 'bad@@' || g ELSE 'p' || g || '@example.com' END, 'Person ' || g FROM generate_series(1, ${ROWS}) g`);
  await source.end();
  target = await freshPgDatabase(TARGET_DB);
});

after(async () => {
  await Promise.all(workers.map((w) => w.stop('SIGKILL')));
  await target?.end();
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
});

describe('crash safety', () => {
  test('a worker killed with SIGKILL mid-chunk: another takes the chunk over and the counts stay exact', async () => {
    const doomed = spawnWorker(recovery);
    workers.push(doomed);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const job = await migrate('killed', tgt.id, ROWS);
    await expectEventually(async () => (await rowsRead(job.id)) >= 20_000, { timeoutMs: 60_000, intervalMs: 50 });
    doomed.process.kill('SIGKILL');
    await doomed.exited;
    assert.ok((await rowsRead(job.id)) < ROWS, 'the kill came too late to test a takeover');
    workers.push(spawnWorker(recovery));
    await assertExact(job.id, 'killed');
    const retries = await prisma().jobEvent.count({ where: { jobId: job.id, type: 'chunk_retry' } });
    assert.ok(retries >= 1, 'the chunk was continued from its checkpoint');
  });

  test('Redis restarts during a job: the sweeper re-enqueues the lost work and the job completes exactly', async () => {
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const job = await migrate('redis_restart', tgt.id, 20_000);
    await expectEventually(async () => (await rowsRead(job.id)) >= 20_000, { timeoutMs: 60_000, intervalMs: 50 });
    execFileSync('redis-cli', ['-h', '127.0.0.1', 'shutdown', 'nosave']);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    execFileSync('bash', ['scripts/services.sh'], { stdio: 'ignore' });
    await assertExact(job.id, 'redis_restart');
    assert.ok((await prisma().jobEvent.count({ where: { jobId: job.id, type: 'chunk_requeued' } })) >= 1);
  });

  // The connections cut by the outage once killed the workers (an 'error' event on a
  // checked-out pg client had no listener), so the job stalled: the workers must survive.
  test('the target refuses connections for 20 s: the job waits for it as a whole, then completes by itself', async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    workers = [spawnWorker(recovery), spawnWorker(recovery)];
    const proxy = new TcpProxy(5432);
    await proxy.accept();
    const tgt = await createConnection(actor, {
      name: `flaky target ${Date.now()}`,
      kind: 'postgres',
      host: '127.0.0.1',
      port: proxy.port,
      database: TARGET_DB,
      username: 'postgres',
      sslMode: 'disable',
    });
    try {
      const job = await migrate('flaky_target', tgt.id, 50_000);
      await expectEventually(async () => (await rowsRead(job.id)) >= 10_000, { timeoutMs: 60_000, intervalMs: 50 });
      await proxy.refuse();
      const waiting = await expectEventually(async () => {
        const { condition } = await prisma().job.findUniqueOrThrow({ where: { id: job.id }, select: { condition: true } });
        if (!condition) throw new Error('the job is not waiting yet');
        return condition as { state: string; side: string; reason: string };
      });
      assert.deepEqual({ state: waiting.state, side: waiting.side }, { state: 'waiting', side: 'target' });
      assert.match(waiting.reason, /^target is unreachable: Connection refused/);
      await new Promise((resolve) => setTimeout(resolve, 20_000));
      assert.ok((await rowsRead(job.id)) < ROWS, 'the outage came too late to matter');
      assert.equal(await prisma().chunk.count({ where: { jobId: job.id, status: 'failed' } }), 0, 'no chunk spent its retries on the outage');
      await proxy.accept();
      await assertExact(job.id, 'flaky_target');
      const crashed = workers.filter((w) => w.process.exitCode !== null || w.process.signalCode !== null);
      assert.equal(crashed.length, 0, `a worker died during the outage:\n${crashed.map((w) => w.output().slice(-2000)).join('\n')}`);
      assert.equal(await prisma().jobEvent.count({ where: { jobId: job.id, type: 'recovered' } }), 1);
    } finally {
      // A listening proxy would keep this test process alive after a failure.
      await proxy.refuse();
    }
  });

  test('SIGTERM: the worker checkpoints its batch, exits cleanly, and the job continues elsewhere', async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    workers = [spawnWorker(recovery), spawnWorker(recovery)];
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const job = await migrate('terminated', tgt.id, ROWS);
    const owner = await expectEventually(
      async () => {
        const chunk = await prisma().chunk.findFirst({ where: { jobId: job.id, status: 'running', rowsRead: { gte: 10_000 } }, select: { workerId: true } });
        return chunk?.workerId;
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    const pid = Number(String(owner).split('-').at(-2));
    const leaving = workers.find((w) => w.process.pid === pid);
    assert.ok(leaving, `owner ${owner} is one of our workers`);
    leaving.process.kill('SIGTERM');
    assert.equal(await leaving.exited, 0);
    assert.match(leaving.output(), /stopped cleanly/);
    await assertExact(job.id, 'terminated');
    assert.equal(await prisma().jobEvent.count({ where: { jobId: job.id, type: 'chunk_handed_over' } }), 1);
  });
});
