import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type mysql from 'mysql2/promise';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { prisma } from '@/lib/db/client';
import { freshMariaDatabase, testConnection, testMapping } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { allDiffs, closeVerifyTest, countsOf, freshPgPair, keysOf, pgMapping, verifyNow } from './support/verify';

const MARIA_DB = 'verify_keys_maria';
const PG_SRC = 'verify_keys_src';
const PG_TGT = 'verify_keys_tgt';

let actor: Actor;
let maria: mysql.Connection;
let source: pg.Client;
let target: pg.Client;
const workers: SpawnedWorker[] = [];

before(async () => {
  maria = await freshMariaDatabase(MARIA_DB);
  ({ actor, source, target } = await freshPgPair(PG_SRC, PG_TGT));
  workers.push(spawnWorker(), spawnWorker());
});

after(() => closeVerifyTest(workers, [maria, source, target]));

describe('verification keys', () => {
  test('MariaDB → PostgreSQL, derived key over several ranges: NULL and duplicate keys counted apart', async () => {
    await maria.query(`CREATE TABLE customers (id int PRIMARY KEY, email varchar(100), name varchar(50), created datetime)`);
    const rows: unknown[][] = [];
    for (let i = 1; i <= 2500; i++) rows.push([i, ` User${i}@Example.com`, `Name ${i}`, `2024-01-01 00:00:${String(i % 60).padStart(2, '0')}`]);
    // 2501 maps to the key of 5 (with the same content, so whichever comes first matches);
    // 2502 has no email: its target key would be NULL.
    rows.push([2501, 'USER5@example.com ', 'Name 5', '2024-01-01 00:00:05'], [2502, null, 'No Mail', '2024-01-01 00:00:00']);
    await maria.query('INSERT INTO customers VALUES ?', [rows]);
    await target.query(`CREATE TABLE people_by_email (email text PRIMARY KEY, name text NOT NULL, created timestamp(0))`);
    const values = rows.slice(0, 2500).filter((r) => r[0] !== 10).map((r) => [String(r[1]).trim().toLowerCase(), r[0] === 20 ? 'Changed' : r[2], r[3]]);
    values.push(['ghost@example.com', 'Ghost', null]);
    await target.query(`INSERT INTO people_by_email SELECT * FROM unnest($1::text[], $2::text[], $3::timestamp[])`, [
      values.map((v) => v[0]),
      values.map((v) => v[1]),
      values.map((v) => v[2]),
    ]);
    const src = await testConnection(actor, 'mysql', MARIA_DB);
    const tgt = await testConnection(actor, 'postgres', PG_TGT);
    const mapping = await testMapping(actor, 'verify customers → people_by_email', src.id, tgt.id, {
      source: { table: 'customers', key: ['id'] },
      target: { table: 'people_by_email', key: ['email'] },
      duplicatePolicy: { mode: 'first_wins' },
      fields: [
        { target: 'email', sources: ['email'], transforms: [{ op: 'trim' }, { op: 'lower' }] },
        { target: 'name', sources: ['name'] },
        { target: 'created', sources: ['created'] },
      ],
    });
    const report = await verifyNow(actor, mapping.id, { settings: { rangeRows: 1000 } });
    assert.deepEqual(countsOf(report), { matched: 2498, different: 1, missing: 1, extra: 1, nullKeys: 1, duplicateKeys: 1 });
    assert.equal(report.score, 2498 / (2498 + 2 + 1 + 1));
    assert.equal(report.rangesTotal, 6, '3 compare ranges + 3 extras ranges');
    assert.equal(report.rangesDone, 6);
    assert.deepEqual(keysOf(await allDiffs(report.id, 'missing')), ['user10@example.com']);
    assert.deepEqual(keysOf(await allDiffs(report.id, 'extra')), ['ghost@example.com']);
    const [different] = await allDiffs(report.id, 'different');
    assert.deepEqual(different.fields, [{ field: 'name', source: 'Name 20', target: 'Changed' }]);
    const [nullKey] = await allDiffs(report.id, 'null_key');
    assert.deepEqual(nullKey.key, [2502]);
    const [duplicate] = await allDiffs(report.id, 'duplicate_key');
    assert.deepEqual(duplicate.key, ['user5@example.com']);
    const mode = await prisma().consistencyReport.findUniqueOrThrow({ where: { id: report.id }, select: { mode: true } });
    assert.equal(mode.mode, 'general');
  });

  test('PostgreSQL composite text keys and UUID keys (aligned ranges)', async () => {
    await source.query(`CREATE TABLE tickets (region text, code text, subject text, PRIMARY KEY (region, code))`);
    await target.query(`CREATE TABLE cases (region text, code text, subject text, PRIMARY KEY (region, code))`);
    await source.query(`INSERT INTO tickets SELECT r, 'T-' || lpad(g::text, 5, '0'), 'Subject ' || g FROM generate_series(1, 1500) g, unnest(ARRAY['EU', 'US']) r`);
    await target.query(`INSERT INTO cases SELECT r, 'T-' || lpad(g::text, 5, '0'), 'Subject ' || g FROM generate_series(1, 1500) g, unnest(ARRAY['EU', 'US']) r`);
    await target.query(`DELETE FROM cases WHERE region = 'US' AND code = 'T-00007'`);
    await target.query(`UPDATE cases SET subject = 'changed' WHERE region = 'EU' AND code = 'T-01400'`);
    await target.query(`INSERT INTO cases VALUES ('EU', 'T-00007a', 'extra'), ('ZZ', 'last', 'extra')`);
    const src = await testConnection(actor, 'postgres', PG_SRC);
    const tgt = await testConnection(actor, 'postgres', PG_TGT);
    const tickets = await testMapping(actor, 'verify tickets → cases', src.id, tgt.id, {
      source: { table: 'tickets', key: ['region', 'code'] },
      target: { table: 'cases', key: ['region', 'code'] },
      fields: ['region', 'code', 'subject'].map((c) => ({ target: c, sources: [c] })),
    });
    const report = await verifyNow(actor, tickets.id, { settings: { rangeRows: 1000 } });
    assert.deepEqual(countsOf(report), { matched: 2998, different: 1, missing: 1, extra: 2, nullKeys: 0, duplicateKeys: 0 });
    assert.equal(report.rangesTotal, 3);
    assert.deepEqual(keysOf(await allDiffs(report.id, 'missing')), ['US/T-00007']);
    assert.deepEqual(keysOf(await allDiffs(report.id, 'extra')), ['EU/T-00007a', 'ZZ/last']);
    assert.deepEqual(keysOf(await allDiffs(report.id, 'different')), ['EU/T-01400']);

    await source.query(`CREATE TABLE devices (id uuid PRIMARY KEY, label text)`);
    await target.query(`CREATE TABLE devices (id uuid PRIMARY KEY, label text)`);
    await source.query(`INSERT INTO devices SELECT md5(g::text)::uuid, 'device ' || g FROM generate_series(1, 50) g`);
    await target.query(`INSERT INTO devices SELECT md5(g::text)::uuid, 'device ' || g FROM generate_series(2, 50) g`);
    await target.query(`UPDATE devices SET label = NULL WHERE id = md5('3')::uuid`);
    const devices = await testMapping(actor, 'verify devices', src.id, tgt.id, {
      source: { table: 'devices', key: ['id'] },
      target: { table: 'devices', key: ['id'] },
      fields: [{ target: 'id', sources: ['id'] }, { target: 'label', sources: ['label'] }],
    });
    const uuids = await verifyNow(actor, devices.id);
    assert.deepEqual(countsOf(uuids), { matched: 48, different: 1, missing: 1, extra: 0, nullKeys: 0, duplicateKeys: 0 });
    const [missing] = await allDiffs(uuids.id, 'missing');
    const md5of1 = (await source.query(`SELECT md5('1')::uuid::text AS u`)).rows[0].u;
    assert.deepEqual(missing.key, [md5of1]);
  });

  test('source rows with a NULL key are counted and listed apart, outside the score', async () => {
    await source.query(`CREATE TABLE accounts (code text UNIQUE, name text)`);
    await target.query(`CREATE TABLE accounts (code text PRIMARY KEY, name text)`);
    await source.query(`INSERT INTO accounts SELECT 'A' || g, 'Account ' || g FROM generate_series(1, 20) g`);
    await source.query(`INSERT INTO accounts VALUES (NULL, 'Nameless 1'), (NULL, 'Nameless 2')`);
    await target.query(`INSERT INTO accounts SELECT 'A' || g, 'Account ' || g FROM generate_series(1, 20) g`);
    const mapping = await pgMapping(actor, PG_SRC, PG_TGT, 'verify accounts', {
      source: { table: 'accounts', key: ['code'] },
      target: { table: 'accounts', key: ['code'] },
      fields: [{ target: 'code', sources: ['code'] }, { target: 'name', sources: ['name'] }],
    });
    const report = await verifyNow(actor, mapping.id);
    assert.deepEqual(countsOf(report), { matched: 20, different: 0, missing: 0, extra: 0, nullKeys: 2, duplicateKeys: 0 });
    assert.equal(report.score, 1);
    const nullKeys = await allDiffs(report.id, 'null_key');
    assert.deepEqual(nullKeys.map((d) => d.sourceRow?.name).sort(), ['Nameless 1', 'Nameless 2']);
    assert.deepEqual(nullKeys[0].key, [null]);
  });

  test('MariaDB composite string keys → PostgreSQL compare by key text across engines', async () => {
    await maria.query(`CREATE TABLE orders (region varchar(8), order_no varchar(20), amount decimal(12,2), PRIMARY KEY (region, order_no))`);
    const orders: [string, string, string][] = [];
    for (let i = 1; i <= 40; i++) orders.push(['eu', `ORD-${i}`, (i * 1.25).toFixed(2)]);
    orders.push(['US', 'a', '1.00'], ['US', 'B', '2.00']);
    await maria.query('INSERT INTO orders VALUES ?', [orders]);
    await target.query(`CREATE TABLE deals (region text, order_no text, amount numeric(12,3), PRIMARY KEY (region, order_no))`);
    await target.query(`INSERT INTO deals SELECT region, order_no, amount::numeric FROM unnest($1::text[], $2::text[], $3::text[]) AS t(region, order_no, amount)`, [
      orders.map((o) => o[0]),
      orders.map((o) => o[1]),
      orders.map((o) => (o[1] === 'ORD-3' ? '9.99' : o[2])),
    ]);
    const src = await testConnection(actor, 'mysql', MARIA_DB);
    const tgt = await testConnection(actor, 'postgres', PG_TGT);
    const mapping = await testMapping(actor, 'verify orders → deals', src.id, tgt.id, {
      source: { table: 'orders', key: ['region', 'order_no'] },
      target: { table: 'deals', key: ['region', 'order_no'] },
      fields: ['region', 'order_no', 'amount'].map((c) => ({ target: c, sources: [c] })),
    });
    const report = await verifyNow(actor, mapping.id);
    // 12.50 (decimal(12,2)) equals 12.500 (numeric(12,3)); only ORD-3 differs.
    assert.deepEqual(countsOf(report), { matched: 41, different: 1, missing: 0, extra: 0, nullKeys: 0, duplicateKeys: 0 });
    assert.deepEqual(keysOf(await allDiffs(report.id, 'different')), ['eu/ORD-3']);
  });
});
