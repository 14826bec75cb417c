import './support/test-env';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { closeCachedConnectors } from '@/lib/engine/connector-cache';
import { closeQueue } from '@/lib/queue/enqueue';
import { createMapping } from '@/lib/saved-mappings/save-mapping';
import { closeProducerRedis } from '@/lib/queue/redis';
import { mappingSpecSchema } from '@/lib/schemas/mapping-spec';
import { startSync, stopSync } from '@/lib/sync/start-sync';
import { ADDED_DOMAIN } from '../../scripts/demo-changes';
import { DEMO_SYNC_MAPPING, demoSyncMappingSpec, seedDemoSync } from '../../scripts/demo-data/demo-sync';
import { loadDemoData } from '../../scripts/demo-data/load-demo-data';
import { demoConnections, seedDemo } from '../../scripts/seed-demo';
import { testAdmin } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { MARIADB, PG_URL } from './support/test-env';
import { expectEventually, waitForJob } from './support/wait';

// Issue 18, item 8: the demo has a sync ready to start, and `npm run demo:changes` keeps
// changing the legacy CRM, so a new user who presses Start sees the target (and D) move.
const LEGACY = 'legacy_crm_demo_sync_it';
const TARGET = 'new_crm_demo_sync_it';
const root = path.resolve(import.meta.dirname, '../..');
const [legacyConnection, targetConnection] = demoConnections(LEGACY, TARGET);
const names = { legacy: legacyConnection.name, target: targetConnection.name };

let actor: Actor;
let legacy: mysql.Connection;
let target: pg.Client;
let workers: SpawnedWorker[] = [];

/** `npm run demo:changes` against this test's legacy database, stopped with Ctrl-C (SIGINT) after `ms`. */
async function runDemoChanges(ms: number): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo-changes.ts', '--rate', '40', '--legacy-db', LEGACY, '--report-every', '1'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await expectEventually(async () => /Ctrl-C stops/.test(output), { timeoutMs: 20_000, intervalMs: 50 });
  await new Promise((resolve) => setTimeout(resolve, ms));
  child.kill('SIGINT');
  return { code: await exited, output };
}

before(async () => {
  await loadDemoData({ customers: 300, legacyDatabase: LEGACY, targetDatabase: TARGET, reset: true });
  actor = await testAdmin();
  // A clean slate in the shared test database: no demo mapping or connections from an earlier run.
  await prisma().mapping.deleteMany({ where: { name: DEMO_SYNC_MAPPING } });
  await prisma().connection.deleteMany({ where: { name: { in: [names.legacy, names.target] } } });
  await seedDemo(LEGACY, TARGET, { demo: true });
  legacy = await mysql.createConnection({ ...MARIADB, database: LEGACY });
  // The loader keeps a legacy database of the right size: drop what an earlier run's writer added.
  await legacy.query('DELETE FROM customers WHERE email_addr LIKE ?', [`%@${ADDED_DOMAIN}`]);
  target = new pg.Client({ connectionString: PG_URL(TARGET) });
  await target.connect();
});

after(async () => {
  await Promise.all(workers.map((w) => w.stop('SIGKILL')));
  await legacy?.end();
  await target?.end();
  await closeCachedConnectors();
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
});

test('the demo seed creates the customers → contacts mapping and a binlog sync on it, created but not started, once', async () => {
  const first = await seedDemoSync(names);
  assert.equal(first.created, true, first.message);
  const mapping = await prisma().mapping.findUniqueOrThrow({ where: { name: DEMO_SYNC_MAPPING }, include: { sync: true, sourceConnection: { select: { name: true } } } });
  assert.equal(mapping.sourceConnection.name, names.legacy);
  assert.equal(mapping.sourceTable, 'customers');
  assert.equal(mapping.targetTable, 'contacts');
  const spec = mappingSpecSchema.parse((await prisma().mappingVersion.findFirstOrThrow({ where: { mappingId: mapping.id } })).spec);
  assert.deepEqual(spec.target.key, ['legacy_id'], 'the new CRM generates contacts.id: the sync upserts on the legacy key');
  assert.ok(!spec.fields.some((f) => f.target === 'id'));
  assert.ok(mapping.sync, 'the mapping has its sync');
  assert.equal(mapping.sync.mode, 'log');
  assert.equal(mapping.sync.deletePolicy, 'apply');
  assert.equal(mapping.sync.initialLoad, 'full');
  assert.equal(mapping.sync.jobId, null, 'ready to start, not started');

  const again = await seedDemoSync(names);
  assert.equal(again.created, false);
  assert.match(again.message, /exists already/);
  assert.equal(await prisma().sync.count({ where: { mappingId: mapping.id } }), 1);
});

test('started, the demo sync carries what demo:changes writes: new customers arrive, updates land, its deletions leave', async () => {
  const sync = await prisma().sync.findFirstOrThrow({ where: { mapping: { name: DEMO_SYNC_MAPPING } } });
  workers = [spawnWorker({ WORKER_LOCK_MS: '4000', WORKER_SWEEP_MS: '1000' }), spawnWorker({ WORKER_LOCK_MS: '4000', WORKER_SWEEP_MS: '1000' })];
  const { jobId, loadJobId } = await startSync(actor, sync.id);
  assert.ok(loadJobId, 'the initial load copies the customers first');
  // The legacy data is messy by design: some customers fail the new CRM's rules.
  assert.equal(await waitForJob(loadJobId!, ['completed', 'completed_with_errors'], 60_000), 'completed_with_errors');
  const loaded = Number((await target.query('SELECT count(*) AS n FROM contacts')).rows[0].n);
  assert.ok(loaded > 200 && loaded < 300, `the load wrote the valid customers (${loaded})`);

  const [[clock]] = await legacy.query<mysql.RowDataPacket[]>('SELECT NOW() AS now');
  const run = await runDemoChanges(3000);
  assert.equal(run.code, 0, run.output);
  const totals = run.output.match(/Stopped: (\d+) updated, (\d+) inserted, (\d+) deleted/);
  assert.ok(totals, run.output);
  const [updated, inserted, deleted] = totals.slice(1).map(Number);
  assert.ok(updated > 0 && inserted > 0, run.output);
  assert.match(run.output, /\d\d:\d\d:\d\d {2}\d+ updated, \d+ inserted, \d+ deleted; last: /, 'it reports as it goes');

  const [added] = await legacy.query<mysql.RowDataPacket[]>('SELECT cust_id FROM customers WHERE email_addr LIKE ? ORDER BY cust_id', [`%@${ADDED_DOMAIN}`]);
  assert.equal(added.length, inserted - deleted, 'the source holds what the writer says it added and kept');
  const [touched] = await legacy.query<mysql.RowDataPacket[]>('SELECT cust_id, UPPER(TRIM(status)) AS status FROM customers WHERE last_modified >= ? AND email_addr NOT LIKE ?', [clock.now, `%@${ADDED_DOMAIN}`]);
  assert.ok(touched.length > 0, 'some existing customers were updated');

  const statusOf: Record<string, string> = { A: 'active', I: 'inactive', P: 'prospect' };
  await expectEventually(async () => {
    const ids = (await target.query<{ legacy_id: string }>(`SELECT legacy_id FROM contacts WHERE email LIKE $1 ORDER BY legacy_id`, [`%@${ADDED_DOMAIN}`])).rows.map((r) => Number(r.legacy_id));
    assert.deepEqual(ids, added.map((r) => Number(r.cust_id)), 'the added customers, and none the writer deleted again');
    const rows = (await target.query<{ legacy_id: string; status: string }>('SELECT legacy_id, status FROM contacts WHERE legacy_id = ANY($1::bigint[])', [touched.map((r) => r.cust_id)])).rows;
    assert.ok(rows.length > 0, 'updated customers valid for the new CRM are in the target');
    const expected = new Map(touched.map((r) => [Number(r.cust_id), statusOf[r.status as string]]));
    for (const row of rows) assert.equal(row.status, expected.get(Number(row.legacy_id)), `contact ${row.legacy_id} has the source's current status`);
    return true;
  }, { timeoutMs: 30_000 });

  const gauges = await prisma().sync.findUniqueOrThrow({ where: { id: sync.id }, select: { lastCommitAt: true, lastAppliedAt: true } });
  assert.ok(gauges.lastCommitAt && gauges.lastAppliedAt, 'the delay gauge D has its times');
  assert.ok((await prisma().syncBatch.aggregate({ where: { syncId: sync.id }, _sum: { changes: true } }))._sum.changes! > 0, 'batches with changes were recorded');

  await stopSync(actor, sync.id);
  assert.equal(await waitForJob(jobId, ['cancelled'], 30_000), 'cancelled');
});

test('a demo mapping of an earlier version, keyed on contacts.id, is re-keyed on legacy_id with its other edits kept', async () => {
  await prisma().mapping.deleteMany({ where: { name: DEMO_SYNC_MAPPING } });
  const [legacyId, targetId] = await Promise.all([names.legacy, names.target].map(async (name) => (await prisma().connection.findUniqueOrThrow({ where: { name } })).id));
  // The earlier seed's spec, as a user left it: without the country field.
  const earlier = {
    ...demoSyncMappingSpec,
    target: { table: 'contacts', key: ['id'] },
    fields: [{ target: 'id', sources: ['cust_id'] }, ...demoSyncMappingSpec.fields.filter((f) => f.target !== 'legacy_id' && f.target !== 'country')],
  };
  const created = await createMapping(actor, { name: DEMO_SYNC_MAPPING, sourceConnectionId: legacyId, targetConnectionId: targetId, spec: mappingSpecSchema.parse(earlier) });

  const seeded = await seedDemoSync(names);
  assert.equal(seeded.created, true, seeded.message);
  const mapping = await prisma().mapping.findUniqueOrThrow({ where: { id: created.id }, select: { latestVersion: true, sync: { select: { id: true } } } });
  assert.equal(mapping.latestVersion, 2);
  assert.ok(mapping.sync);
  const spec = mappingSpecSchema.parse((await prisma().mappingVersion.findFirstOrThrow({ where: { mappingId: created.id, version: 2 } })).spec);
  assert.deepEqual(spec.target.key, ['legacy_id']);
  assert.deepEqual(spec.fields.map((f) => f.target), ['legacy_id', ...earlier.fields.slice(1).map((f) => f.target)]);

  assert.match((await seedDemoSync(names)).message, /exists already\.$/, 'seeding again changes nothing more');
  assert.equal((await prisma().mapping.findUniqueOrThrow({ where: { id: created.id } })).latestVersion, 2);
});
