import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { prisma } from '@/lib/db/client';
import { createSync } from '@/lib/sync/save-sync';
import { pauseSync, resumeSync, startSync, stopSync } from '@/lib/sync/start-sync';
import { syncSettingsSchema } from '@/lib/schemas/sync-settings';
import { captureNames } from '@/lib/connectors/postgres/replication';
import { pruneSyncBatches } from '@/lib/sync/prune-sync-batches';
import { freshPgDatabase, testAdmin, testConnection, testMapping } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { closeSyncTest } from './support/sync';
import { expectEventually, waitForJob } from './support/wait';

const SOURCE_DB = 'ferry_it_sync_pg_src';
const TARGET_DB = 'ferry_it_sync_pg_tgt';
const fast = { WORKER_CONCURRENCY: '2', WORKER_LOCK_MS: '4000', WORKER_SWEEP_MS: '1000' };

let actor: Actor;
let source: pg.Client;
let target: pg.Client;
let workers: SpawnedWorker[] = [];

const spec = (sourceTable: string, targetTable: string) => ({
  source: { table: sourceTable, key: ['id'] },
  target: { table: targetTable, key: ['id'] },
  fields: [
    { target: 'id', sources: ['id'] },
    { target: 'email', sources: ['email'], transforms: [{ op: 'email' }] },
    { target: 'name', sources: ['name'] },
    { target: 'notes', sources: ['notes'] },
  ],
});

async function tables(name: string, rows: number) {
  await source.query(`DROP TABLE IF EXISTS ${name}`);
  await source.query(`CREATE TABLE ${name} (id int PRIMARY KEY, email text, name text NOT NULL, notes text)`);
  await source.query(`INSERT INTO ${name} SELECT g, 'p' || g || '@example.com', 'Person ' || g, NULL FROM generate_series(1, ${rows}) g`);
  await target.query(`DROP TABLE IF EXISTS ${name}`);
  await target.query(`CREATE TABLE ${name} (id int PRIMARY KEY, email text NOT NULL, name text NOT NULL, notes text, deleted_at timestamptz)`);
}

async function syncOf(name: string, settings: Record<string, unknown>) {
  const src = await testConnection(actor, 'postgres', SOURCE_DB);
  const tgt = await testConnection(actor, 'postgres', TARGET_DB);
  const mapping = await testMapping(actor, `sync ${name}`, src.id, tgt.id, spec(name, name));
  return createSync(actor, { mappingId: mapping.id, settings: syncSettingsSchema.parse({ mode: 'log', ...settings }) });
}

const targetRows = async (table: string) => (await target.query(`SELECT id, email, name, notes, deleted_at IS NOT NULL AS marked FROM ${table} ORDER BY id`)).rows;

before(async () => {
  actor = await testAdmin();
  source = await freshPgDatabase(SOURCE_DB);
  target = await freshPgDatabase(TARGET_DB);
  workers = [spawnWorker(fast), spawnWorker(fast)];
});

after(() => closeSyncTest(workers, source, SOURCE_DB, [target]));

describe('sync by PostgreSQL change capture', () => {
  test('initial load, then inserts, updates, deletes, key changes and TOAST values reach the target; a failed key is retried until it passes', async () => {
    await tables('contacts', 500);
    const sync = await syncOf('contacts', { initialLoad: 'full', deletePolicy: 'apply' });
    const { jobId, loadJobId } = await startSync(actor, sync.id);
    assert.ok(loadJobId);
    // Changes while the load runs are caught by the stream (the slot exists before the load reads).
    await source.query(`UPDATE contacts SET name = 'Early ' || id WHERE id <= 5`);
    assert.equal(await waitForJob(loadJobId!, ['completed', 'completed_with_errors'], 60_000), 'completed');

    const big = 'x'.repeat(100_000) + Math.random();
    await source.query(`INSERT INTO contacts VALUES (1001, 'new@example.com', 'New', $1)`, [big]);
    await source.query(`UPDATE contacts SET name = 'Renamed' WHERE id = 10`);
    await source.query(`DELETE FROM contacts WHERE id = 20`);
    await source.query(`UPDATE contacts SET id = 2000 WHERE id = 30`);
    // The TOASTed notes are not sent with this update: the target must keep them.
    await source.query(`UPDATE contacts SET name = 'Big changed' WHERE id = 1001`);
    // An invalid email fails, and lands once it is fixed.
    await source.query(`UPDATE contacts SET email = 'not-an-email' WHERE id = 40`);

    await expectEventually(async () => {
      const rows = await targetRows('contacts');
      const byId = new Map(rows.map((r) => [r.id, r]));
      assert.equal(byId.get(1)?.name, 'Early 1');
      assert.equal(byId.get(10)?.name, 'Renamed');
      assert.equal(byId.has(20), false);
      assert.equal(byId.has(30), false);
      assert.equal(byId.get(2000)?.name, 'Person 30');
      assert.equal(byId.get(1001)?.name, 'Big changed');
      assert.equal(byId.get(1001)?.notes, big);
      return true;
    }, { timeoutMs: 30_000 });
    const failed = await expectEventually(async () => {
      const row = await prisma().errorRow.findFirst({ where: { jobId, resolvedAt: null } });
      assert.ok(row);
      return row;
    });
    assert.equal(failed.sourceKeyText, '[40]');
    await source.query(`UPDATE contacts SET email = 'fixed40@example.com' WHERE id = 40`);
    await expectEventually(async () => {
      assert.equal((await target.query(`SELECT email FROM contacts WHERE id = 40`)).rows[0].email, 'fixed40@example.com');
      assert.equal(await prisma().errorRow.count({ where: { jobId, resolvedAt: null } }), 0);
      return true;
    }, { timeoutMs: 90_000 });

    const syncRow = await prisma().sync.findUniqueOrThrow({ where: { id: sync.id } });
    assert.ok(syncRow.lastCommitAt && syncRow.lastAppliedAt, 'the delay gauge has its times');
    assert.ok((await prisma().syncBatch.count({ where: { syncId: sync.id } })) > 0);

    // TRUNCATE under "apply" empties the target.
    await source.query(`TRUNCATE contacts`);
    await expectEventually(async () => (await targetRows('contacts')).length === 0, { timeoutMs: 30_000 });

    await stopSync(actor, sync.id);
    assert.equal(await waitForJob(jobId, ['cancelled'], 30_000), 'cancelled');
    await expectEventually(async () => {
      const slots = await source.query(`SELECT count(*)::int AS n FROM pg_replication_slots WHERE slot_name LIKE 'ferry_%' AND database = $1`, [SOURCE_DB]);
      assert.equal(slots.rows[0].n, 0, 'a stopped sync keeps no slot');
      return true;
    });
  });
  test('a slot dropped behind the sync\'s back is a clear lost state; starting again takes a new snapshot', async () => {
    await tables('leads', 50);
    const sync = await syncOf('leads', { initialLoad: 'from_now', deletePolicy: 'apply' });
    const { jobId } = await startSync(actor, sync.id);
    await source.query(`UPDATE leads SET name = 'Seen' WHERE id = 1`);
    await expectEventually(async () => (await targetRows('leads')).find((r) => r.id === 1)?.name === 'Seen', { timeoutMs: 30_000 });
    await pauseSync(actor, sync.id);
    assert.equal(await waitForJob(jobId, ['paused'], 30_000), 'paused');
    const slot = captureNames(sync.id).slotName;
    await expectEventually(async () => (await source.query('SELECT NOT active AS free FROM pg_replication_slots WHERE slot_name = $1', [slot])).rows[0]?.free === true);
    await source.query('SELECT pg_drop_replication_slot($1)', [slot]);
    await resumeSync(actor, sync.id);
    assert.equal(await waitForJob(jobId, ['failed'], 60_000), 'failed');
    const lost = await prisma().sync.findUniqueOrThrow({ where: { id: sync.id }, include: { job: true } });
    assert.equal((lost.captureHealth as { state: string }).state, 'lost');
    assert.match(lost.job!.stopReason ?? '', /new snapshot/);

    const again = await startSync(actor, sync.id);
    await source.query(`UPDATE leads SET name = 'After restart' WHERE id = 2`);
    await expectEventually(async () => (await targetRows('leads')).find((r) => r.id === 2)?.name === 'After restart', { timeoutMs: 30_000 });
    await stopSync(actor, sync.id);
    assert.equal(await waitForJob(again.jobId, ['cancelled'], 30_000), 'cancelled');
  });
  test('batch records past their retention are pruned, the recent ones kept', async () => {
    await tables('retained', 5);
    const sync = await syncOf('retained', { initialLoad: 'from_now' });
    const row = (hoursAgo: number) => ({ syncId: sync.id, jobId: 'none', at: new Date(Date.now() - hoursAgo * 3_600_000), changes: 1, upserts: 1, deletes: 0, failed: 0, applyMs: 1, maxDelayMs: 5, delays: [1] });
    await prisma().syncBatch.createMany({ data: [row(30), row(25), row(2), row(0)] });
    assert.equal(await pruneSyncBatches(24), 2);
    const left = await prisma().syncBatch.findMany({ where: { syncId: sync.id }, select: { at: true } });
    assert.equal(left.length, 2);
    assert.ok(left.every((b) => Date.now() - b.at.getTime() < 3 * 3_600_000));
  });
});
