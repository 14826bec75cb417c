/**
 * The fast path of upsert jobs on PostgreSQL: a batch of COPY size written with mode
 * 'insert' is one plain COPY. When any row is refused (here: a key already in the table)
 * nothing of the batch is written, the pooled connection stays usable, and the upsert of
 * the same rows (what the engine falls back to) lands them with the newer values.
 * Scratch database: ferry_it_plain_copy (dropped and re-created).
 *
 * Run: node --import tsx --test tests/integration/plain-copy-insert.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import type { Connector } from '../../lib/connectors/connector';
import { openConnector } from '../../lib/connectors/open-connector';
import { COPY_MIN_ROWS } from '../../lib/connectors/postgres-write';

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
