import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '@/lib/auth/roles';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { closeCachedConnectors } from '@/lib/engine/connector-cache';
import { autoMapTables } from '@/lib/saved-mappings/auto-map-tables';
import { freshPgDatabase, testAdmin, testConnection, testMapping } from './support/fixtures';

// A legacy source whose orders point at customers by a foreign key, and a target that
// generates its own ids and keeps the legacy keys in unique legacy_id columns.
const SOURCE_DB = 'ferry_it_automap_related_src';
const TARGET_DB = 'ferry_it_automap_related_tgt';
const PARENT = 'it auto-map related: customers → contacts';
let actor: Actor;
let sourceId: string;
let targetId: string;
let parentId: string;

before(async () => {
  actor = await testAdmin();
  const source = await freshPgDatabase(SOURCE_DB);
  await source.query(`
    CREATE TABLE customers (cust_id INT PRIMARY KEY, email_addr TEXT, first_nm TEXT);
    CREATE TABLE orders (
      order_no VARCHAR(20) PRIMARY KEY,
      cust_id INT REFERENCES customers (cust_id),
      order_date TIMESTAMP,
      total_amt NUMERIC(12,2)
    );
    INSERT INTO customers VALUES (1, 'ada@example.com', 'Ada'), (2, 'grace@example.com', 'Grace');
    INSERT INTO orders SELECT 'ORD-' || lpad(i::text, 7, '0'), 1 + i % 2, timestamp '2021-01-01' + i * interval '1 day', i * 10.5 FROM generate_series(1, 20) i;
  `);
  await source.end();
  const target = await freshPgDatabase(TARGET_DB);
  await target.query(`
    CREATE TABLE contacts (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      legacy_id INT NOT NULL UNIQUE,
      email TEXT,
      first_name TEXT
    );
    CREATE TABLE deals (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      legacy_id TEXT NOT NULL UNIQUE,
      contact_id BIGINT NOT NULL REFERENCES contacts (id),
      amount NUMERIC(12,2) NOT NULL,
      created_at TIMESTAMPTZ NOT NULL
    );
  `);
  await target.end();
  sourceId = (await testConnection(actor, 'postgres', SOURCE_DB)).id;
  targetId = (await testConnection(actor, 'postgres', TARGET_DB)).id;
  const parent = await testMapping(actor, PARENT, sourceId, targetId, {
    source: { table: 'customers', key: ['cust_id'] },
    target: { table: 'contacts', key: ['legacy_id'] },
    fields: [
      { target: 'legacy_id', sources: ['cust_id'] },
      { target: 'email', sources: ['email_addr'] },
      { target: 'first_name', sources: ['first_nm'] },
    ],
  });
  parentId = parent.id;
});

after(async () => {
  await prisma().mapping.deleteMany({ where: { name: PARENT } });
  await closeCachedConnectors();
  await disconnectPrisma();
});

const request = () => ({ sourceConnectionId: sourceId, targetConnectionId: targetId, sourceTable: 'orders', targetTable: 'deals' });

describe('auto-map with the saved mappings the target’s foreign keys point at', () => {
  test('orders → deals: the customer becomes a reference to the saved contacts mapping; nothing onto the generated id', async () => {
    const result = await autoMapTables(request());
    const byTarget = new Map(result.proposals.map((p) => [p.target, p]));
    assert.deepEqual(byTarget.get('contact_id')?.source, 'cust_id');
    assert.deepEqual(byTarget.get('contact_id')?.reference, { by: 'id_map', mapping: parentId });
    assert.match(byTarget.get('contact_id')?.reason ?? '', /source foreign key onto customers/);
    assert.equal(byTarget.has('id'), false, 'the target generates its ids');
    assert.equal(byTarget.get('legacy_id')?.source, 'order_no');
    assert.equal(byTarget.get('legacy_id')?.reference, undefined);
    assert.equal(byTarget.get('amount')?.source, 'total_amt');
    assert.equal(byTarget.get('created_at')?.source, 'order_date');
    assert.deepEqual(result.targetKey, ['legacy_id']);
    assert.equal(result.sampledRows, 20);
  });

  test('an archived parent mapping is not offered as a reference', async () => {
    await prisma().mapping.update({ where: { id: parentId }, data: { archivedAt: new Date() } });
    try {
      const result = await autoMapTables(request());
      assert.ok(result.proposals.every((p) => p.reference === undefined), JSON.stringify(result.proposals));
      assert.equal(result.proposals.some((p) => p.target === 'id'), false);
    } finally {
      await prisma().mapping.update({ where: { id: parentId }, data: { archivedAt: null } });
    }
  });
});
