import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type mysql from 'mysql2/promise';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { prisma } from '@/lib/db/client';
import { createSync } from '@/lib/sync/save-sync';
import { pauseSync, resumeSync, startSync, stopSync } from '@/lib/sync/start-sync';
import { syncSettingsSchema } from '@/lib/schemas/sync-settings';
import { syncCheckpointSchema } from '@/lib/schemas/sync-settings';
import { freshMariaDatabase, freshPgDatabase, testAdmin, testConnection, testMapping } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { closeSyncTest } from './support/sync';
import { expectEventually, waitForJob } from './support/wait';

const SOURCE_DB = 'ferry_it_sync_maria_src';
const TARGET_DB = 'ferry_it_sync_maria_tgt';
const fast = { WORKER_CONCURRENCY: '2', WORKER_LOCK_MS: '4000', WORKER_SWEEP_MS: '1000' };

let actor: Actor;
let source: mysql.Connection;
let target: pg.Client;
let workers: SpawnedWorker[] = [];

const spec = {
  source: { table: 'customers', key: ['cust_id'] },
  target: { table: 'contacts', key: ['id'] },
  fields: [
    { target: 'id', sources: ['cust_id'] },
    { target: 'email', sources: ['email'], transforms: [{ op: 'email' }] },
    { target: 'full_name', sources: ['name'] },
    { target: 'profile', sources: ['profile'] },
  ],
};

async function freshTables() {
  await source.query('DROP TABLE IF EXISTS customers');
  await source.query('CREATE TABLE customers (cust_id BIGINT PRIMARY KEY, email VARCHAR(200), name VARCHAR(200) NOT NULL, profile JSON NULL)');
  const values = Array.from({ length: 300 }, (_, i) => `(${i + 1}, 'c${i + 1}@example.com', 'Customer ${i + 1}', NULL)`).join(',');
  await source.query(`INSERT INTO customers VALUES ${values}`);
  await target.query('DROP TABLE IF EXISTS contacts');
  await target.query('CREATE TABLE contacts (id bigint PRIMARY KEY, email text NOT NULL, full_name text NOT NULL, profile jsonb, deleted_at timestamptz)');
}

async function newSync(settings: Record<string, unknown>) {
  const src = await testConnection(actor, 'mysql', SOURCE_DB);
  const tgt = await testConnection(actor, 'postgres', TARGET_DB);
  const mapping = await testMapping(actor, 'sync maria customers', src.id, tgt.id, spec);
  return createSync(actor, { mappingId: mapping.id, settings: syncSettingsSchema.parse({ mode: 'log', ...settings }) });
}

const targetById = async () => new Map((await target.query('SELECT id::int AS id, email, full_name, profile, deleted_at FROM contacts')).rows.map((r) => [r.id as number, r]));

before(async () => {
  actor = await testAdmin();
  source = await freshMariaDatabase(SOURCE_DB);
  target = await freshPgDatabase(TARGET_DB);
  workers = [spawnWorker(fast), spawnWorker(fast)];
});

after(() => closeSyncTest(workers, undefined, SOURCE_DB, [source, target]));

describe('sync by MariaDB binlog capture', () => {
  test('initial load, then inserts, updates, deletes (marked), JSON values and a truncate reach the target in commit order', async () => {
    await freshTables();
    const sync = await newSync({ initialLoad: 'full', deletePolicy: 'mark', markColumn: 'deleted_at' });
    const { jobId, loadJobId } = await startSync(actor, sync.id);
    await source.query(`UPDATE customers SET name = 'During load' WHERE cust_id = 1`);
    assert.equal(await waitForJob(loadJobId!, ['completed', 'completed_with_errors'], 60_000), 'completed');

    await source.query(`INSERT INTO customers VALUES (1001, 'n@example.com', 'New', '{"tier": "gold"}')`);
    await source.query('START TRANSACTION');
    await source.query(`UPDATE customers SET name = 'First' WHERE cust_id = 2`);
    await source.query(`UPDATE customers SET name = 'Second' WHERE cust_id = 2`);
    await source.query('COMMIT');
    await source.query(`DELETE FROM customers WHERE cust_id = 3`);
    await source.query(`UPDATE customers SET email = 'broken' WHERE cust_id = 4`);

    await expectEventually(async () => {
      const rows = await targetById();
      assert.equal(rows.get(1)?.full_name, 'During load');
      assert.equal(rows.get(2)?.full_name, 'Second');
      assert.deepEqual(rows.get(1001)?.profile, { tier: 'gold' });
      assert.ok(rows.get(3)?.deleted_at, 'a deletion under "mark" sets the mark column and keeps the row');
      return true;
    });
    const failed = await expectEventually(async () => {
      const row = await prisma().errorRow.findFirst({ where: { jobId, resolvedAt: null } });
      if (!row) throw new Error('no error row yet');
      return row;
    });
    assert.equal(failed.sourceKeyText, '["4"]');
    assert.equal(failed.field, 'email');

    // Paused, the position is kept: changes made meanwhile arrive after the resume.
    await pauseSync(actor, sync.id);
    assert.equal(await waitForJob(jobId, ['paused'], 30_000), 'paused');
    await source.query(`UPDATE customers SET name = 'While paused' WHERE cust_id = 5`);
    await resumeSync(actor, sync.id);
    await expectEventually(async () => (await targetById()).get(5)?.full_name === 'While paused');

    await source.query('TRUNCATE customers');
    await expectEventually(async () => [...(await targetById()).values()].every((r) => r.deleted_at !== null));
    await stopSync(actor, sync.id);
    assert.equal(await waitForJob(jobId, ['cancelled'], 30_000), 'cancelled');
  });

  test('a binlog position the server no longer has is a clear lost state, and starting again takes a new snapshot', async () => {
    await freshTables();
    const sync = await newSync({ initialLoad: 'from_now', deletePolicy: 'apply' });
    const { jobId } = await startSync(actor, sync.id);
    await source.query(`UPDATE customers SET name = 'Seen' WHERE cust_id = 7`);
    await expectEventually(async () => (await targetById()).get(7)?.full_name === 'Seen');
    await pauseSync(actor, sync.id);
    assert.equal(await waitForJob(jobId, ['paused'], 30_000), 'paused');
    // The stored position points into a file that is then purged.
    const chunk = await prisma().chunk.findFirstOrThrow({ where: { jobId } });
    const stored = syncCheckpointSchema.parse(chunk.cursor);
    assert.equal(stored.from.kind, 'binlog');
    // A paused sync lets go of the binlog: no dump thread is left reading (the server would keep its files).
    await expectEventually(async () => {
      const [threads] = (await source.query(`SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'`)) as unknown as [{ n: number }[]];
      return Number(threads[0].n) === 0;
    }, { timeoutMs: 15_000 });
    await source.query('FLUSH BINARY LOGS');
    // The server keeps a file until InnoDB's binlog checkpoint has passed it: purge until it is gone.
    await expectEventually(async () => {
      const [logs] = (await source.query('SHOW BINARY LOGS')) as unknown as [{ Log_name: string }[]];
      await source.query(`PURGE BINARY LOGS TO '${logs[logs.length - 1].Log_name}'`);
      const [left] = (await source.query('SHOW BINARY LOGS')) as unknown as [{ Log_name: string }[]];
      return left.length === 1;
    }, { timeoutMs: 20_000, intervalMs: 500 });
    if (stored.from.kind === 'binlog') {
      // A GTID position survives purges as long as the domain's later transactions are kept: use the file position alone.
      await prisma().chunk.update({ where: { id: chunk.id }, data: { cursor: { phase: 'streaming', from: { kind: 'binlog', checkpoint: { ...stored.from.checkpoint, gtid: null } } } } });
    }
    await resumeSync(actor, sync.id);
    assert.equal(await waitForJob(jobId, ['failed'], 30_000), 'failed');
    const lost = await prisma().sync.findUniqueOrThrow({ where: { id: sync.id }, include: { job: true } });
    assert.equal((lost.captureHealth as { state: string }).state, 'lost');
    assert.match(lost.job!.stopReason ?? '', /new snapshot/);

    const again = await startSync(actor, sync.id);
    await source.query(`UPDATE customers SET name = 'After restart' WHERE cust_id = 8`);
    await expectEventually(async () => (await targetById()).get(8)?.full_name === 'After restart');
    await stopSync(actor, sync.id);
    assert.equal(await waitForJob(again.jobId, ['cancelled'], 30_000), 'cancelled');
  });
});
