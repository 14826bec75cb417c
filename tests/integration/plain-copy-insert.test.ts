/**
 * The fast path of upsert jobs on PostgreSQL: a batch of COPY size written with mode
 * 'insert' is one plain COPY. When any row is refused (here: a key already in the table)
 * nothing of the batch is written, the pooled connection stays usable, and the upsert of
 * the same rows (what the engine falls back to) lands them with the newer values. Also the
 * encoded insert, and when the engine's plain-insert attempt skips batches.
 * Scratch database: ferry_it_plain_copy (dropped and re-created).
 *
 * Run: node --import tsx --test tests/integration/plain-copy-insert.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import type { Connector } from '../../lib/connectors/connector';
import { openConnector } from '../../lib/connectors/open-connector';
import { COPY_MIN_ROWS } from '../../lib/connectors/postgres/write';
import { insertFirstWriter } from '../../lib/engine/insert-first';
import type { ListTransformedRow } from '../../lib/engine/transform-list-rows';

const DB = 'ferry_it_plain_copy';
const columns = ['id', 'email', 'note'];
let admin: pg.Client;
let connector: Connector;

const rowsFrom = (first: number, count: number, note: string) =>
  Array.from({ length: count }, (_, i) => [first + i, `user${first + i}@example.com`, `${note} "quoted", with, commas`]);
const count = async () => Number((await admin.query<{ n: string }>('SELECT count(*) AS n FROM people')).rows[0].n);

before(async () => {
  const root = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
  await root.connect();
  await root.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await root.query(`CREATE DATABASE ${DB}`);
  await root.end();
  admin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: DB });
  await admin.connect();
  await admin.query('CREATE TABLE people (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, note text)');
  connector = openConnector({ kind: 'postgres', host: '127.0.0.1', port: 5432, database: DB, username: 'postgres', password: null, sslMode: 'disable', schema: 'public' });
});

after(async () => {
  await connector?.close();
  await admin?.end();
  const root = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
  await root.connect();
  await root.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await root.end();
});

test('a COPY-size insert lands every row with its exact text', async () => {
  const rows = rowsFrom(1, COPY_MIN_ROWS * 2, 'first');
  await connector.writeBatch({ table: 'people', keyColumns: ['id'], columns, rows, mode: 'insert' });
  assert.equal(await count(), rows.length);
  const { rows: [sample] } = await admin.query('SELECT note FROM people WHERE id = 7');
  assert.equal(sample.note, 'first "quoted", with, commas');
});

test('a refused COPY insert writes nothing; the upsert of the same rows then lands them', async () => {
  // Overlaps the rows above by one key at its very end: the whole batch must be refused.
  const rows = rowsFrom(COPY_MIN_ROWS * 2, COPY_MIN_ROWS * 2, 'second');
  await assert.rejects(
    connector.writeBatch({ table: 'people', keyColumns: ['id'], columns, rows, mode: 'insert' }),
    (error: { code?: string }) => error.code === '23505',
  );
  assert.equal(await count(), COPY_MIN_ROWS * 2, 'nothing of the refused batch was written');
  await connector.writeBatch({ table: 'people', keyColumns: ['id'], columns, rows, mode: 'upsert' });
  assert.equal(await count(), COPY_MIN_ROWS * 4 - 1);
  const { rows: [overlap] } = await admin.query('SELECT note FROM people WHERE id = $1', [COPY_MIN_ROWS * 2]);
  assert.equal(overlap.note, 'second "quoted", with, commas');
});

test('an encoded insert holds only bytes and lands like writeBatch; a refused one writes nothing', async () => {
  assert.ok(connector.encodeInsert && connector.writeEncoded);
  const request = { table: 'people', keyColumns: ['id'], columns };
  const rows = [
    [900_001, 'empty@example.com', ''],
    [900_002, 'null@example.com', null],
    [900_003, 'date@example.com', new Date('2024-02-29T23:59:58.123Z')],
  ];
  const encoded = await connector.encodeInsert({ ...request, rows });
  assert.equal(encoded.rowCount, 3);
  assert.ok(encoded.payload.every((piece) => Buffer.isBuffer(piece)));
  rows.length = 0; // the caller may let go of its rows now
  assert.deepEqual(await connector.writeEncoded(encoded), { written: 3 });
  const { rows: landed } = await admin.query('SELECT id::int, note FROM people WHERE id > 900000 ORDER BY id');
  assert.deepEqual(landed, [
    { id: 900_001, note: '' },
    { id: 900_002, note: null },
    { id: 900_003, note: '2024-02-29T23:59:58.123Z' },
  ]);

  const before = await count();
  const clash = await connector.encodeInsert({ ...request, rows: [[900_004, 'new@example.com', 'x'], [900_001, 'again@example.com', 'y']] });
  await assert.rejects(connector.writeEncoded(clash), (error: { code?: string }) => error.code === '23505');
  assert.equal(await count(), before, 'nothing of the refused batch was written');
  await assert.rejects(connector.encodeInsert({ ...request, rows: [[1, 'short']] }), /A row has 2 values but 3 columns were given/);
});

test('only a refusal on the write key makes the next batches skip the plain insert', async () => {
  const request = { table: 'people', keyColumns: ['id'], columns };
  const asRows = (rows: unknown[][]) => rows.map((list) => ({ list }) as unknown as ListTransformedRow);
  const writer = insertFirstWriter({ target: connector }, request, true);
  let released = 0;
  const release = () => (released += 1);

  // Another unique value taken (an email): this batch's own problem, the next one still tries.
  const emailTaken = asRows([[950_001, 'user1@example.com', 'clash on email']]);
  assert.equal(await writer.attempt(emailTaken, release), 'reread');
  assert.equal(released, 1, 'the rows were let go once encoded');
  assert.equal(await writer.attempt(asRows([[950_002, 'fresh2@example.com', 'x']]), release), 'written');

  // A key already there (a re-run): the next batch skips the attempt, the one after tries again.
  assert.equal(await writer.attempt(asRows([[950_002, 'fresh3@example.com', 'again']]), release), 'reread');
  assert.equal(await writer.attempt(asRows([[950_004, 'fresh4@example.com', 'x']]), release), 'skipped');
  assert.equal(await writer.attempt(asRows([[950_005, 'fresh5@example.com', 'x']]), release), 'written');
  const { rows } = await admin.query('SELECT id::int FROM people WHERE id > 950000 ORDER BY id');
  assert.deepEqual(rows.map((r) => r.id), [950_002, 950_005]);
});
