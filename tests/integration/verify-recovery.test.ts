import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { getJobConsistency } from '@/lib/consistency/report-view';
import { prisma } from '@/lib/db/client';
import { cancelJob } from '@/lib/jobs/control-job';
import { startVerify } from '@/lib/jobs/start-verify';
import { ferryQueue } from '@/lib/queue/enqueue';
import { planVerify } from '@/lib/consistency/plan-verify';
import { verifyKind } from '@/lib/jobs/kinds/verify';
import { sweepOnce } from '@/lib/jobs/sweep-lost-work';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { closeVerifyTest, completedReport, countsOf, freshPgPair, pgMapping } from './support/verify';
import { waitForJob } from './support/wait';

const SOURCE_DB = 'verify_recovery_src';
const TARGET_DB = 'verify_recovery_tgt';

let actor: Actor;
let source: pg.Client;
let target: pg.Client;
let mappingId: string;
const workers: SpawnedWorker[] = [];

before(async () => {
  ({ actor, source, target } = await freshPgPair(SOURCE_DB, TARGET_DB));
  await source.query(`CREATE TABLE events (id bigint PRIMARY KEY, kind text)`);
  await target.query(`CREATE TABLE events (id bigint PRIMARY KEY, kind text)`);
  await source.query(`INSERT INTO events SELECT g, 'k' || (g % 7) FROM generate_series(1, 5000) g`);
  await target.query(`INSERT INTO events SELECT g, 'k' || (g % 7) FROM generate_series(1, 5000) g WHERE g % 1000 <> 0`);
  const mapping = await pgMapping(actor, SOURCE_DB, TARGET_DB, 'verify recovery events', {
    source: { table: 'events', key: ['id'] },
    target: { table: 'events', key: ['id'] },
    fields: [{ target: 'id', sources: ['id'] }, { target: 'kind', sources: ['kind'] }],
  });
  mappingId = mapping.id;
  // Only this test's queue entries: nothing else may run or be swept meanwhile.
  await ferryQueue().obliterate({ force: true });
});

after(() => closeVerifyTest(workers, [source, target]));

/** Runs the planner in this process, as a worker would (no worker is running yet). */
async function planHere(jobId: string) {
  const queued = await ferryQueue().getJob(`plan-verify-${jobId}`);
  assert.ok(queued, 'the planner is queued');
  await planVerify(verifyKind, jobId);
  await queued.remove();
}

describe('verification recovery and cancel', () => {
  test('planner and ranges that Redis lost are enqueued again by the sweeper', async () => {
    const job = await startVerify(actor, mappingId, { settings: { rangeRows: 1000 } });
    await (await ferryQueue().getJob(`plan-verify-${job.id}`))?.remove();
    await prisma().job.update({ where: { id: job.id }, data: { createdAt: new Date(Date.now() - 60_000) } });
    const swept = await sweepOnce(0);
    assert.ok(swept.replannedJobs >= 1);
    await planHere(job.id);

    const ranges = await prisma().consistencyRange.findMany({ where: { jobId: job.id }, select: { queueJobId: true } });
    assert.equal(ranges.length, 5);
    for (const r of ranges) await (await ferryQueue().getJob(r.queueJobId ?? ''))?.remove();
    assert.equal((await sweepOnce(0)).requeuedChunks, 5);

    workers.push(spawnWorker());
    const report = await completedReport(job.id);
    assert.deepEqual(countsOf(report), { matched: 4995, different: 0, missing: 5, extra: 0, nullKeys: 0, duplicateKeys: 0 });
    assert.equal(report.rangesDone, 5);
  });

  test('a cancelled verification stops, keeps no score, and its queued ranges do nothing', async () => {
    // No worker while the jobs are set up: the test decides what has run.
    await workers.pop()?.stop();
    const queuedOnly = await startVerify(actor, mappingId, {});
    // Cancelled before any worker planned it: nothing runs, nothing is scored.
    assert.equal(await cancelJob(actor, queuedOnly.id), 'cancelled');

    const planned = await startVerify(actor, mappingId, { settings: { rangeRows: 1000 } });
    await planHere(planned.id);
    assert.equal(await cancelJob(actor, planned.id), 'cancelled');
    workers.push(spawnWorker());
    // The worker drains the queued ranges; each finds its job cancelled.
    await waitForJob(planned.id, ['cancelled']);
    const drained = async () => (await ferryQueue().getJobCounts('waiting', 'active', 'delayed'));
    for (let i = 0; i < 100; i++) {
      const counts = await drained();
      if (counts.waiting + counts.active + counts.delayed === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (const id of [queuedOnly.id, planned.id]) {
      const job = await prisma().job.findUniqueOrThrow({ where: { id }, select: { status: true } });
      assert.equal(job.status, 'cancelled');
      const { report } = await getJobConsistency(id);
      assert.equal(report?.score, null);
      assert.equal(report?.rangesDone, 0);
    }
    assert.equal(await prisma().consistencyRange.count({ where: { jobId: planned.id, status: { not: 'cancelled' } } }), 0);
  });
});
