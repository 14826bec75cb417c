import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import type mysql from 'mysql2/promise';
import type { Actor } from '@/lib/auth/roles';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { startMigration } from '@/lib/jobs/start-migration';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import { freshMariaDatabase, freshPgDatabase, jobTotals, testAdmin, testConnection, testMapping } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { waitForJob } from './support/wait';

const SOURCE_DB = 'ferry_it_mig_src';
const TARGET_DB = 'ferry_it_mig_tgt';
const MARIA_DB = 'ferry_it_mig_maria';

let actor: Actor;
let source: pg.Client;
let target: pg.Client;
let maria: mysql.Connection;
const workers: SpawnedWorker[] = [];

const peopleSpec = {
  source: { table: 'people', key: ['id'] },
  target: { table: 'contacts', key: ['id'] },
  fields: [
    { target: 'id', sources: ['id'] },
    { target: 'email', sources: ['email'], transforms: [{ op: 'email' }] },
    { target: 'name', sources: ['name'], transforms: [{ op: 'trim' }] },
    { target: 'status', sources: ['status'], transforms: [{ op: 'value_map', map: { A: 'active', I: 'inactive' } }] },
  ],
};

async function targetSnapshot() {
  const result = await target.query(`SELECT count(*)::int AS n, md5(string_agg(id || '|' || email || '|' || name || '|' || status, ',' ORDER BY id)) AS hash FROM contacts`);
  return result.rows[0] as { n: number; hash: string };
}

before(async () => {
  actor = await testAdmin();
  source = await freshPgDatabase(SOURCE_DB);
  await source.query(`CREATE TABLE people (id int PRIMARY KEY, email text, name text, status char(1))`);
  // 1,000 people; 10 and 20 have invalid emails (transform), 333 and 777 have names the
  // target's CHECK refuses (write), 500 reuses 499's email (unique violation on write).
  await source.query(`
    INSERT INTO people
    SELECT g,
           CASE WHEN g IN (10, 20) THEN 'broken-' || g || '@@example'
                WHEN g = 500 THEN 'Person499@Example.com'
                ELSE 'Person' || g || '@Example.com' END,
           CASE WHEN g IN (333, 777) THEN '  ' || repeat('x', 60) ELSE '  Person ' || g || ' ' END,
           CASE WHEN g % 3 = 0 THEN 'I' ELSE 'A' END
    FROM generate_series(1, 1000) g`);
  target = await freshPgDatabase(TARGET_DB);
  await target.query(`CREATE TYPE contact_status AS ENUM ('active', 'inactive')`);
  await target.query(`CREATE TABLE contacts (
    id bigint PRIMARY KEY, email text NOT NULL UNIQUE, name text NOT NULL CHECK (length(name) < 50), status contact_status NOT NULL)`);

  maria = await freshMariaDatabase(MARIA_DB);
  await maria.query(`CREATE TABLE orders (region varchar(8), order_no varchar(20), amount decimal(12,2), PRIMARY KEY (region, order_no))`);
  // Skewed composite string keys: most rows in one region, gaps in order numbers.
  const rows: [string, string, string][] = [];
  for (let i = 1; i <= 900; i++) rows.push(['EU', `ORD-${String(i * 7).padStart(6, '0')}`, (i * 1.25).toFixed(2)]);
  for (let i = 1; i <= 50; i++) rows.push(['US', `ORD-${String(i).padStart(6, '0')}`, '10.00']);
  for (let i = 1; i <= 3; i++) rows.push(['APAC', `X-${i}`, '99.99']);
  await maria.query('INSERT INTO orders VALUES ?', [rows]);
  await target.query(`CREATE TABLE deals (region text, order_no text, amount numeric(12,2) NOT NULL, PRIMARY KEY (region, order_no))`);

  workers.push(spawnWorker(), spawnWorker());
});

after(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await source?.end();
  await target?.end();
  await maria?.end();
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
});

/** How the planner split the source (the 'planned' event). */
async function plannedBy(jobId: string): Promise<string | undefined> {
  const event = await prisma().jobEvent.findFirstOrThrow({ where: { jobId, type: 'planned' }, select: { data: true } });
  return (event.data as { method?: string } | null)?.method;
}

describe('migration engine', () => {
  test('moves valid rows in parallel chunks and isolates exactly the bad rows', async () => {
    const src = await testConnection(actor, 'postgres', SOURCE_DB);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const mapping = await testMapping(actor, 'it people → contacts', src.id, tgt.id, peopleSpec);
    const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 100, batchRows: 40 } });

    assert.equal(await waitForJob(job.id), 'completed_with_errors');
    const totals = await jobTotals(job.id);
    assert.equal(totals.chunks, 10);
    assert.deepEqual({ read: totals.read, written: totals.written, failed: totals.failed }, { read: 1000, written: 995, failed: 5 });
    // Ids 1–1000 are dense: split by arithmetic, 100 rows a chunk.
    assert.equal(await plannedBy(job.id), 'dense integer key');
    const perChunk = await prisma().chunk.findMany({ where: { jobId: job.id }, select: { rowsRead: true } });
    assert.ok(perChunk.every((c) => c.rowsRead === 100), perChunk.map((c) => c.rowsRead).join(','));

    const errors = await prisma().errorRow.findMany({ where: { jobId: job.id }, orderBy: { id: 'asc' }, select: { sourceKey: true, stage: true, field: true, code: true, sourceRow: true } });
    const byKey = new Map(errors.map((e) => [(e.sourceKey as number[])[0], e]));
    assert.deepEqual([...byKey.keys()].sort((a, b) => a - b), [10, 20, 333, 500, 777]);
    assert.deepEqual([byKey.get(10)?.stage, byKey.get(10)?.field, byKey.get(10)?.code], ['transform', 'email', 'invalid_email']);
    assert.deepEqual([byKey.get(333)?.stage, byKey.get(333)?.code], ['write', 'check_violation']);
    assert.deepEqual([byKey.get(500)?.stage, byKey.get(500)?.field, byKey.get(500)?.code], ['write', 'email', 'unique_violation']);
    assert.equal((byKey.get(777)?.sourceRow as { name: string }).name.trim(), 'x'.repeat(60));

    const landed = await target.query('SELECT id FROM contacts WHERE id IN (10, 20, 333, 499, 500, 777) ORDER BY id');
    assert.deepEqual(landed.rows.map((r) => Number(r.id)), [499]);
    const sample = await target.query('SELECT email, name, status FROM contacts WHERE id = 3');
    assert.deepEqual(sample.rows[0], { email: 'person3@example.com', name: 'Person 3', status: 'inactive' });
  });

  test('running the same migration again leaves the same target rows, with no duplicates', async () => {
    const before = await targetSnapshot();
    const mapping = await prisma().mapping.findUniqueOrThrow({ where: { name: 'it people → contacts' }, select: { id: true } });
    const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 250, batchRows: 100 } });
    assert.equal(await waitForJob(job.id), 'completed_with_errors');
    assert.deepEqual(await targetSnapshot(), before);
    assert.equal(before.n, 995);
    const totals = await jobTotals(job.id);
    assert.equal(totals.written, 995);
    assert.equal(totals.failed, 5);
  });

  test('plans skewed composite string keys from MariaDB so every row is copied exactly once', async () => {
    const src = await testConnection(actor, 'mysql', MARIA_DB);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const mapping = await testMapping(actor, 'it orders → deals', src.id, tgt.id, {
      source: { table: 'orders', key: ['region', 'order_no'] },
      target: { table: 'deals', key: ['region', 'order_no'] },
      fields: [
        { target: 'region', sources: ['region'] },
        { target: 'order_no', sources: ['order_no'] },
        { target: 'amount', sources: ['amount'], transforms: [{ op: 'cast', to: 'decimal', scale: 2 }] },
      ],
    });
    const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 100, batchRows: 30 } });
    assert.equal(await waitForJob(job.id), 'completed');
    const totals = await jobTotals(job.id);
    assert.equal(await plannedBy(job.id), 'exact');
    assert.ok(totals.chunks >= 9, `expected ≥ 9 chunks, got ${totals.chunks}`);
    assert.deepEqual({ read: totals.read, written: totals.written, failed: totals.failed }, { read: 953, written: 953, failed: 0 });
    const counts = await target.query(`SELECT region, count(*)::int AS n, sum(amount)::text AS total FROM deals GROUP BY region ORDER BY region`);
    assert.deepEqual(counts.rows, [
      { region: 'APAC', n: 3, total: '299.97' },
      { region: 'EU', n: 900, total: ((1.25 * 900 * 901) / 2).toFixed(2) },
      { region: 'US', n: 50, total: '500.00' },
    ]);
  });

  test('source rows mapping to the same target key are reported as duplicates', async () => {
    await target.query(`CREATE TABLE IF NOT EXISTS by_email (email text PRIMARY KEY, name text)`);
    const src = await testConnection(actor, 'postgres', SOURCE_DB);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const mapping = await testMapping(actor, 'it people → by_email', src.id, tgt.id, {
      source: { table: 'people', key: ['id'], filter: [{ column: 'id', op: 'gte', value: 490 }, { column: 'id', op: 'lte', value: 505 }] },
      target: { table: 'by_email', key: ['email'] },
      fields: [
        { target: 'email', sources: ['email'], transforms: [{ op: 'lower' }] },
        { target: 'name', sources: ['name'], transforms: [{ op: 'trim' }] },
      ],
    });
    const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 100, batchRows: 10 } });
    assert.equal(await waitForJob(job.id), 'completed_with_errors');
    const totals = await jobTotals(job.id);
    assert.deepEqual({ read: totals.read, written: totals.written, failed: totals.failed, duplicates: totals.duplicates }, { read: 16, written: 15, failed: 1, duplicates: 1 });
    const dup = await prisma().errorRow.findFirstOrThrow({ where: { jobId: job.id }, select: { sourceKey: true, code: true } });
    assert.deepEqual(dup, { sourceKey: [500], code: 'duplicate_key' });
  });

  test('a mapping that no longer fits its tables fails the job at planning, with the reason, and writes nothing', async () => {
    await target.query(`CREATE TABLE IF NOT EXISTS shrinking (id int PRIMARY KEY, email text, name text)`);
    const src = await testConnection(actor, 'postgres', SOURCE_DB);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const mapping = await testMapping(actor, 'it people → shrinking', src.id, tgt.id, {
      source: { table: 'people', key: ['id'] },
      target: { table: 'shrinking', key: ['id'] },
      fields: [
        { target: 'id', sources: ['id'] },
        { target: 'email', sources: ['email'] },
        { target: 'name', sources: ['name'] },
      ],
    });
    // The target loses a mapped column after the mapping was saved.
    await target.query(`ALTER TABLE shrinking DROP COLUMN email`);
    const job = await startMigration(actor, { mappingId: mapping.id, options: {} });
    assert.equal(await waitForJob(job.id), 'failed');
    const failed = await prisma().job.findUniqueOrThrow({ where: { id: job.id }, select: { stopReason: true } });
    assert.match(failed.stopReason ?? '', /no longer fits the tables: .*email/);
    assert.equal(await prisma().chunk.count({ where: { jobId: job.id } }), 0);
    assert.equal((await target.query(`SELECT count(*)::int AS n FROM shrinking`)).rows[0].n, 0);
  });
});
