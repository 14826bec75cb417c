import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { AppError } from '@/lib/errors';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { dismissErrorRows } from '@/lib/jobs/dismiss-error-rows';
import { startMigration } from '@/lib/jobs/start-migration';
import { startReplay } from '@/lib/jobs/start-replay';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import { syncSettingsSchema } from '@/lib/schemas/sync-settings';
import { createSync } from '@/lib/sync/save-sync';
import { pauseSync, resumeSync, startSync, stopSync } from '@/lib/sync/start-sync';
import { getSyncView, listSyncs } from '@/lib/sync/sync-view';
import { freshPgDatabase, testAdmin, testConnection, testMapping } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { expectEventually, waitForJob } from './support/wait';

/**
 * The sync page's view from a real log sync run by a real worker: state through start,
 * pause, resume and stop; D, S, the last batch and the delay chart after a change; an
 * invalid change as an open error row, replayed while the sync runs, then dismissed.
 */

const SOURCE_DB = 'ferry_it_sync_view_src';
const TARGET_DB = 'ferry_it_sync_view_tgt';

let actor: Actor;
let source: pg.Client;
let target: pg.Client;
let worker: SpawnedWorker;

const spec = {
  source: { table: 'people', key: ['id'] },
  target: { table: 'people', key: ['id'] },
  fields: [
    { target: 'id', sources: ['id'] },
    { target: 'email', sources: ['email'], transforms: [{ op: 'email' }] },
  ],
};

before(async () => {
  actor = await testAdmin();
  source = await freshPgDatabase(SOURCE_DB);
  target = await freshPgDatabase(TARGET_DB);
  await source.query(`CREATE TABLE people (id int PRIMARY KEY, email text)`);
  await source.query(`INSERT INTO people SELECT g, 'p' || g || '@example.com' FROM generate_series(1, 20) g`);
  await target.query(`CREATE TABLE people (id int PRIMARY KEY, email text NOT NULL)`);
  await target.query(`INSERT INTO people SELECT g, 'p' || g || '@example.com' FROM generate_series(1, 20) g`);
  worker = spawnWorker({ WORKER_CONCURRENCY: '2', WORKER_LOCK_MS: '4000', WORKER_SWEEP_MS: '1000' });
});

after(async () => {
  await worker?.stop('SIGKILL');
  for (const slot of (await source.query(`SELECT slot_name FROM pg_replication_slots WHERE database = $1`, [SOURCE_DB])).rows) {
    await source.query('SELECT pg_drop_replication_slot($1)', [slot.slot_name]).catch(() => undefined);
  }
  await source?.end();
  await target?.end();
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
});

describe('the sync view', () => {
  test('follows a log sync through its life, with D, S, the chart and its error rows', async () => {
    const src = await testConnection(actor, 'postgres', SOURCE_DB);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const mapping = await testMapping(actor, 'sync view people', src.id, tgt.id, spec);
    const sync = await createSync(actor, { mappingId: mapping.id, settings: syncSettingsSchema.parse({ mode: 'log', initialLoad: 'from_now' }) });

    const fresh = await getSyncView(sync.id);
    assert.equal(fresh.state, 'never_started');
    assert.deepEqual(fresh.actions, ['start']);
    assert.equal(fresh.delay.liveMs, null);
    assert.equal(fresh.editable, true);
    assert.equal((await listSyncs({ mappingId: mapping.id }))[0].state, 'never_started');

    const { jobId } = await startSync(actor, sync.id);
    const running = await getSyncView(sync.id);
    assert.equal(running.state, 'running');
    assert.deepEqual(running.actions, ['pause', 'stop']);
    assert.equal(running.editable, false);
    assert.deepEqual(running.version, { running: 1, latest: 1 });

    await source.query(`UPDATE people SET email = 'changed3@example.com' WHERE id = 3`);
    const applied = await expectEventually(async () => {
      const view = await getSyncView(sync.id);
      assert.equal(view.lastRun?.changes, 1);
      return view;
    });
    assert.equal((await target.query(`SELECT email FROM people WHERE id = 3`)).rows[0].email, 'changed3@example.com');
    assert.ok(applied.delay.liveMs !== null && applied.delay.liveMs >= 0 && applied.delay.liveMs < 10_000, `D is ${applied.delay.liveMs}`);
    assert.equal(applied.changesLastMinute, 1);
    assert.equal(applied.changesPerSecond, 1 / 60);
    assert.equal(applied.delay.points.filter((p) => p.changes > 0).length, 1);
    assert.ok(applied.delay.hourP50Ms !== null && applied.delay.hourP95Ms !== null);
    assert.equal((await listSyncs({ mappingId: mapping.id }))[0].delayMs !== null, true);

    // An invalid email fails the change: an open error row of the sync's job.
    await source.query(`UPDATE people SET email = 'not-an-email' WHERE id = 4`);
    const failing = await expectEventually(async () => {
      const view = await getSyncView(sync.id);
      assert.equal(view.openErrorRows, 1);
      return view;
    });
    assert.equal(failing.state, 'running');

    // A running sync's failed rows can be replayed (a migration's only once it has finished).
    const replay = await startReplay(actor, jobId, {});
    await waitForJob(replay.id, ['completed', 'completed_with_errors', 'failed'], 30_000);

    // Rows of a migration are not dismissed: only a sync retries its rows.
    const migration = await startMigration(actor, { mappingId: mapping.id, options: {} });
    await waitForJob(migration.id, ['completed', 'completed_with_errors', 'failed'], 60_000);
    await assert.rejects(dismissErrorRows(actor, migration.id, {}), (error: unknown) => error instanceof AppError && error.code === 'conflict');

    const { dismissed } = await dismissErrorRows(actor, jobId, {});
    assert.equal(dismissed, 1);
    const row = await prisma().errorRow.findFirstOrThrow({ where: { jobId }, select: { resolvedAt: true, dismissedAt: true, dismissedByEmail: true } });
    assert.ok(row.resolvedAt && row.dismissedAt);
    assert.equal(row.dismissedByEmail, actor.email);
    assert.equal((await getSyncView(sync.id)).openErrorRows, 0);
    await assert.rejects(dismissErrorRows(actor, jobId, {}), (error: unknown) => error instanceof AppError && error.code === 'conflict');

    await pauseSync(actor, sync.id);
    await expectEventually(async () => (await getSyncView(sync.id)).state === 'paused');
    assert.deepEqual((await getSyncView(sync.id)).actions, ['resume', 'stop']);
    await resumeSync(actor, sync.id);
    assert.equal((await getSyncView(sync.id)).state, 'running');
    await stopSync(actor, sync.id);
    await expectEventually(async () => (await getSyncView(sync.id)).state === 'stopped');
    const stopped = await getSyncView(sync.id);
    assert.deepEqual(stopped.actions, ['start']);
    assert.equal(stopped.editable, true);
    assert.equal(stopped.nextRunAt, null);
  });
});
