import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Actor } from '@/lib/auth/roles';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { countBy, topCauses } from '@/lib/jobs/error-facets';
import { errorRowFilterSchema, listErrorRows } from '@/lib/jobs/error-rows';
import { errorRowsCsv } from '@/lib/jobs/error-rows-csv';
import { startMigration } from '@/lib/jobs/start-migration';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import { freshPgDatabase, jobTotals, testAdmin, testConnection, testMapping } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { waitForJob } from './support/wait';

const SOURCE_DB = 'ferry_it_triage_src';
const TARGET_DB = 'ferry_it_triage_tgt';
const workers: SpawnedWorker[] = [];
let actor: Actor;
let jobId: string;

/*
 * 1000 people, 300 of which fail for four causes:
 *  - every 5th row has no valid email (200 rows: transform · email · invalid_email);
 *  - ids ≡ 7 (mod 20) use an email a target row (id 100000 + n) already holds (50 rows);
 *  - ids ≡ 52 (mod 100) reuse the email of the row before, in the same batch (10 rows);
 *  - ids ≡ 3 (mod 25) have a status the value map does not know (40 rows).
 */
const heldIds = Array.from({ length: 1000 }, (_, i) => i + 1).filter((n) => n % 20 === 7);
const filter = (input: Record<string, string> = {}) => errorRowFilterSchema.parse(input);
const keyOf = (row: { sourceKey: unknown }) => (row.sourceKey as number[])[0];

before(async () => {
  actor = await testAdmin();
  const source = await freshPgDatabase(SOURCE_DB);
  await source.query(`CREATE TABLE people (id int PRIMARY KEY, email text, status text)`);
  await source.query(`INSERT INTO people
    SELECT g,
           CASE WHEN g % 5 = 0 THEN 'nobody'
                WHEN g % 20 = 7 THEN 'held' || g || '@example.com'
                WHEN g % 100 = 52 THEN 'p' || (g - 1) || '@example.com'
                ELSE 'p' || g || '@example.com' END,
           CASE WHEN g % 25 = 3 THEN 'X' ELSE 'A' END
      FROM generate_series(1, 1000) g`);
  await source.end();
  const target = await freshPgDatabase(TARGET_DB);
  await target.query(`CREATE TABLE contacts (id int PRIMARY KEY, email text NOT NULL CONSTRAINT contacts_email_key UNIQUE, status text NOT NULL)`);
  await target.query(`INSERT INTO contacts SELECT 100000 + n, 'held' || n || '@example.com', 'active' FROM unnest($1::int[]) n`, [heldIds]);
  await target.end();
  const src = await testConnection(actor, 'postgres', SOURCE_DB);
  const tgt = await testConnection(actor, 'postgres', TARGET_DB);
  const mapping = await testMapping(actor, 'it error triage', src.id, tgt.id, {
    source: { table: 'people', key: ['id'] },
    target: { table: 'contacts', key: ['id'] },
    fields: [
      { target: 'id', sources: ['id'] },
      { target: 'email', sources: ['email'], transforms: [{ op: 'email' }] },
      { target: 'status', sources: ['status'], transforms: [{ op: 'value_map', map: { A: 'active' } }] },
    ],
  });
  workers.push(spawnWorker(), spawnWorker());
  // Two chunks copied in parallel: error rows are stored in no particular key order.
  const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 500, batchRows: 100 } });
  jobId = job.id;
  assert.equal(await waitForJob(jobId), 'completed_with_errors');
  assert.equal((await jobTotals(jobId)).failed, 300);
});

after(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
});

describe('error triage at scale', () => {
  test('counts by stage, field and code, and the largest causes first', async () => {
    const { facets, total } = await listErrorRows(jobId, filter());
    assert.equal(total, 300);
    const counts = (dimension: 'stage' | 'field' | 'code', selection = {}) => countBy(facets, dimension, selection).map((c) => [c.value, c.count]);
    assert.deepEqual(counts('stage'), [['transform', 240], ['write', 60]]);
    assert.deepEqual(counts('field'), [['email', 260], ['status', 40]]);
    assert.deepEqual(counts('code'), [['invalid_email', 200], ['unique_violation', 60], ['unmapped_value', 40]]);
    // Within one stage: the write failures are all one field and one code.
    assert.deepEqual(counts('field', { stage: 'write' }), [['email', 60]]);
    assert.deepEqual(topCauses(facets, 1).map((f) => [f.stage, f.field, f.code, f.count]), [['transform', 'email', 'invalid_email', 200]]);
    // Each count is what the list shows when it is clicked.
    assert.equal((await listErrorRows(jobId, filter({ stage: 'write', field: 'email', code: 'unique_violation' }))).total, 60);
  });

  test('pages past 100 rows in source-key order, numbers by value, both directions', async () => {
    const seen: number[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await listErrorRows(jobId, filter({ take: '100', ...(after ? { after } : {}) }));
      seen.push(...result.rows.map(keyOf));
      if (result.nextCursor === null) break;
      after = result.nextCursor;
    }
    assert.equal(seen.length, 300);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b), 'pages are in key order, 9 before 10 before 100');
    assert.equal(new Set(seen).size, 300, 'no row twice, none left out');

    const firstPage = await listErrorRows(jobId, filter({ code: 'invalid_email', take: '150' }));
    assert.deepEqual(firstPage.rows.slice(0, 3).map(keyOf), [5, 10, 15]);
    const secondPage = await listErrorRows(jobId, filter({ code: 'invalid_email', take: '150', after: firstPage.nextCursor ?? '' }));
    assert.deepEqual([secondPage.rows.length, keyOf(secondPage.rows[0]), keyOf(secondPage.rows[49]), secondPage.nextCursor], [50, 755, 1000, null]);

    const descending = await listErrorRows(jobId, filter({ sort: 'key_desc', take: '100' }));
    assert.deepEqual(descending.rows.slice(0, 2).map(keyOf), [1000, 995]);
    assert.throws(() => filter({ after: 'not a cursor' }), /after/);
  });

  test('the CSV writes keys as plain values, in key order', async () => {
    let text = '';
    for await (const chunk of errorRowsCsv(jobId, filter())) text += chunk;
    const [header, ...lines] = parse(text) as string[][];
    assert.deepEqual(header.slice(0, 5), ['source_key', 'stage', 'field', 'code', 'message']);
    assert.equal(lines.length, 300);
    assert.deepEqual(lines.slice(0, 4).map((l) => l[0]), ['3', '5', '7', '10']);
    assert.ok(lines.every((l) => /^\d+$/.test(l[0])), 'no [103]: every key is a plain value');
  });

  test('a unique violation names the target key that already holds the value', async () => {
    const rows = (await listErrorRows(jobId, filter({ code: 'unique_violation', take: '100' }))).rows;
    assert.equal(rows.length, 60);
    const byKey = new Map(rows.map((r) => [keyOf(r), r]));
    assert.equal(byKey.get(27)?.message, 'email = held27@example.com is already held by the target row with id = 100027 (unique constraint contacts_email_key)');
    // The row before took the value in the same batch: it is the holder now.
    assert.equal(byKey.get(52)?.message, 'email = p51@example.com is already held by the target row with id = 51 (unique constraint contacts_email_key)');
    assert.ok(rows.every((r) => /held by the target row with id = \d+ /.test(r.message)), rows.map((r) => r.message).join('\n'));
  });
});
