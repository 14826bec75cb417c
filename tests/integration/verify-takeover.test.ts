import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { prisma } from '@/lib/db/client';
import { startVerify } from '@/lib/jobs/start-verify';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { closeVerifyTest, completedReport, countsOf, freshPgPair, pgMapping } from './support/verify';
import { expectEventually } from './support/wait';

const SOURCE_DB = 'verify_takeover_src';
const TARGET_DB = 'verify_takeover_tgt';
const ROWS = 300_000;
const recovery = { WORKER_CONCURRENCY: '1', WORKER_LOCK_MS: '4000', WORKER_SWEEP_MS: '1500' };

let actor: Actor;
let source: pg.Client;
let target: pg.Client;
const workers: SpawnedWorker[] = [];

before(async () => {
  ({ actor, source, target } = await freshPgPair(SOURCE_DB, TARGET_DB));
  await source.query(`CREATE TABLE notes (id int PRIMARY KEY, body text)`);
  await target.query(`CREATE TABLE notes (id int PRIMARY KEY, body text)`);
  // Every row differs, so each batch of a range stores diffs before the range is done.
  await source.query(`INSERT INTO notes SELECT g, 'body ' || g FROM generate_series(1, ${ROWS}) g`);
  await target.query(`INSERT INTO notes SELECT g, 'changed ' || g FROM generate_series(1, ${ROWS}) g`);
});

after(() => closeVerifyTest(workers, [source, target], 'SIGKILL'));

describe('verification crash safety', () => {
  test('a range whose worker was killed is taken over and counted once, with its diffs once', async () => {
    const mapping = await pgMapping(actor, SOURCE_DB, TARGET_DB, 'verify takeover notes', {
      source: { table: 'notes', key: ['id'] },
      target: { table: 'notes', key: ['id'] },
      fields: [{ target: 'id', sources: ['id'] }, { target: 'body', sources: ['body'], transforms: [{ op: 'trim' }] }],
    });
    const first = spawnWorker(recovery);
    workers.push(first);
    const job = await startVerify(actor, mapping.id, { settings: { rangeRows: 100_000 } });
    const report = await prisma().consistencyReport.findFirstOrThrow({ where: { jobId: job.id }, select: { id: true } });
    // Killed while a range is half done: some of its diffs are stored, its counters are not.
    await expectEventually(async () => {
      const running = await prisma().consistencyRange.findFirst({ where: { jobId: job.id, status: 'running' }, select: { id: true } });
      return running && (await prisma().consistencyDiff.count({ where: { rangeId: running.id } })) > 0;
    }, { timeoutMs: 60_000, intervalMs: 50 });
    await first.stop('SIGKILL');
    workers.push(spawnWorker(recovery));

    const view = await completedReport(job.id, 180_000);
    assert.deepEqual(countsOf(view), { matched: 0, different: ROWS, missing: 0, extra: 0, nullKeys: 0, duplicateKeys: 0 });
    assert.equal(await prisma().consistencyDiff.count({ where: { reportId: report.id } }), ROWS);
    const retried = await prisma().consistencyRange.count({ where: { jobId: job.id, attempts: { gt: 1 } } });
    assert.ok(retried >= 1, 'at least one range was taken over');
  });
});
