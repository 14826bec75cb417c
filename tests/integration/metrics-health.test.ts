import './support/test-env';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import { GET as getHealth } from '@/app/api/health/route';
import type { Actor } from '@/lib/auth/roles';
import { prisma } from '@/lib/db/client';
import { WORKER_DEAD_AFTER_MS } from '@/lib/jobs/worker-liveness';
import { renderMetrics } from '@/lib/ops/metrics';
import { archiveMapping } from '@/lib/saved-mappings/archive-mapping';
import { purgeMapping } from '@/lib/saved-mappings/purge-mapping';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { closeVerifyTest, freshPgPair, pgMapping } from './support/verify';
import { expectEventually } from './support/wait';

const SOURCE_DB = 'metrics_health_src';
const TARGET_DB = 'metrics_health_tgt';

let actor: Actor;
let source: pg.Client;
let target: pg.Client;
const workers: SpawnedWorker[] = [];
const insertedWorkerIds: string[] = [];

/** The value of one unlabelled series in a Prometheus text exposition. */
async function metric(name: string): Promise<number> {
  const text = await renderMetrics();
  const found = text.match(new RegExp(`^${name} (\\S+)$`, 'm'));
  assert.ok(found, `${name} is missing from:\n${text}`);
  return Number(found[1]);
}

const ROW_COUNTERS = ['ferry_rows_read_total', 'ferry_rows_written_total', 'ferry_rows_failed_total', 'ferry_rows_duplicate_total'];
const rowCounters = async () => Object.fromEntries(await Promise.all(ROW_COUNTERS.map(async (n) => [n, await metric(n)] as const)));

/** A worker row as a worker process leaves it, last heard from `silentMs` ago. */
async function workerHeardFrom(silentMs: number) {
  const id = `metrics-health-${randomUUID()}`;
  insertedWorkerIds.push(id);
  await prisma().workerProcess.create({ data: { id, hostname: 'test', pid: 1, concurrency: 1, heartbeatAt: new Date(Date.now() - silentMs) } });
  return id;
}

// The details (workers' pids) are for signed-in users and the metrics token holder.
process.env.METRICS_TOKEN ??= 'metrics-health-test-token';
async function health() {
  const response = await getHealth(new Request('http://ferry.test/api/health', { headers: { authorization: `Bearer ${process.env.METRICS_TOKEN}` } }));
  return { code: response.status, body: await response.json() };
}

before(async () => {
  ({ actor, source, target } = await freshPgPair(SOURCE_DB, TARGET_DB));
  for (const db of [source, target]) await db.query(`CREATE TABLE items (id int PRIMARY KEY, label text)`);
  // The test database serves one integration file at a time (the integration lock); rows
  // of workers an earlier file killed would count as live for a while and hide "no worker".
  await prisma().workerProcess.deleteMany({});
});

after(async () => {
  await prisma().workerProcess.deleteMany({ where: { id: { in: insertedWorkerIds } } });
  await closeVerifyTest(workers, [source, target]);
});

describe('metrics', () => {
  test('row counters keep what deleted jobs counted: erasing a mapping never lowers them', async () => {
    const mapping = await pgMapping(actor, SOURCE_DB, TARGET_DB, 'metrics counters items', {
      source: { table: 'items', key: ['id'] },
      target: { table: 'items', key: ['id'] },
      fields: ['id', 'label'].map((c) => ({ target: c, sources: [c] })),
    });
    const version = await prisma().mappingVersion.findFirstOrThrow({ where: { mappingId: mapping.id }, select: { id: true } });
    const start = await rowCounters();

    const job = await prisma().job.create({
      data: { kind: 'migration', status: 'completed_with_errors', mappingId: mapping.id, mappingVersionId: version.id, plannedAt: new Date() },
      select: { id: true },
    });
    await prisma().chunk.createMany({
      data: [
        { jobId: job.id, seq: 0, status: 'done', rowsRead: 100, rowsWritten: 90, rowsFailed: 7, rowsDuplicate: 3 },
        { jobId: job.id, seq: 1, status: 'done', rowsRead: 50, rowsWritten: 50, rowsFailed: 0, rowsDuplicate: 0 },
      ],
    });
    const counted = await rowCounters();
    assert.deepEqual(
      ROW_COUNTERS.map((n) => counted[n] - start[n]),
      [150, 140, 7, 3],
    );

    await archiveMapping(actor, mapping.id);
    assert.equal(await prisma().chunk.count({ where: { jobId: job.id } }), 2, 'archiving keeps the job and its chunks');
    await purgeMapping(actor, mapping.id, { confirmName: 'metrics counters items' });
    assert.equal(await prisma().chunk.count({ where: { jobId: job.id } }), 0, 'the job and its chunks are gone');
    assert.deepEqual(await rowCounters(), counted, 'counters after the delete');
  });

  test('ferry_workers counts only workers heard from within WORKER_DEAD_AFTER_MS', async () => {
    const before = await metric('ferry_workers');
    await workerHeardFrom(WORKER_DEAD_AFTER_MS + 5_000);
    assert.equal(await metric('ferry_workers'), before, 'a worker silent for longer is dead');
    await workerHeardFrom(1_000);
    assert.equal(await metric('ferry_workers'), before + 1);
    assert.match(await renderMetrics(), new RegExp(`^# HELP ferry_workers .*last ${WORKER_DEAD_AFTER_MS / 1000} s`, 'm'));
  });
});

describe('health', () => {
  test('without a live worker the web app is up but degraded, and says why', async () => {
    await prisma().workerProcess.deleteMany({});
    await workerHeardFrom(WORKER_DEAD_AFTER_MS + 5_000);
    const { code, body } = await health();
    assert.equal(code, 200, 'a load balancer keeps a web app that can serve pages');
    assert.equal(body.status, 'degraded');
    assert.equal(body.ok, false);
    assert.deepEqual(body.problems, ['no worker is sending heartbeats']);
    assert.equal(body.postgres.ok, true);
    assert.equal(body.redis.ok, true);
    assert.equal(body.workers.count, 0);
    assert.ok(body.workers.lastHeartbeatAt, 'the silent worker’s last heartbeat is shown');
  });

  test('a real worker makes it ok; its clean stop makes it degraded again', async () => {
    const worker = spawnWorker();
    workers.push(worker);
    const live = await expectEventually(async () => {
      const h = await health();
      if (h.body.status !== 'ok') throw new Error(`health is ${h.body.status}: ${h.body.problems.join(', ')}`);
      return h;
    });
    assert.equal(live.code, 200);
    assert.equal(live.body.ok, true);
    assert.deepEqual(live.body.problems, []);
    assert.equal(live.body.workers.count, 1);
    assert.equal(live.body.workers.live[0].pid, worker.process.pid);

    assert.equal(await worker.stop(), 0, worker.output());
    const { code, body } = await health();
    assert.equal(code, 200);
    assert.equal(body.status, 'degraded');
    assert.deepEqual(body.problems, ['no worker is sending heartbeats']);
  });

  test('Redis unreachable: 503 and down', async () => {
    // Its own process: the Redis connection is made once per process from REDIS_URL.
    const script = `const { GET } = await import('@/app/api/health/route'); const r = await GET(new Request('http://ferry.test/api/health'));
      console.log(JSON.stringify({ code: r.status, body: await r.json() })); process.exit(0);`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, REDIS_URL: 'redis://127.0.0.1:1' },
    });
    const { code, body } = JSON.parse(stdout.trim().split('\n').at(-1) as string);
    assert.equal(code, 503);
    assert.equal(body.status, 'down');
    assert.deepEqual(body.problems, ['Redis does not answer']);
  });
});
