import './support/test-env';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '@/lib/auth/roles';
import { disconnectPrisma } from '@/lib/db/client';
import { autoMapTables } from '@/lib/saved-mappings/auto-map-tables';
import { freshMariaDatabase, freshPgDatabase, testAdmin, testConnection } from './support/fixtures';

// The demo's own schemas: the legacy CRM on MariaDB, the new CRM on PostgreSQL.
const LEGACY_DB = 'ferry_it_automap_legacy';
const NEW_DB = 'ferry_it_automap_new';
let actor: Actor;
let legacyId: string;
let newId: string;

before(async () => {
  actor = await testAdmin();
  const legacySchema = (await readFile('scripts/demo-data/legacy-crm-schema.sql', 'utf8')).replace('-- @after-load', '');
  const maria = await freshMariaDatabase(LEGACY_DB);
  await maria.query(legacySchema);
  // Orders as the demo writes them: text keys, orphan and missing customers, upper-case statuses.
  const statuses = ['NEW', 'SHIPPED', 'SHIPPED', 'CANCELLED', 'cancelled ', 'RETURNED'];
  const orders = Array.from({ length: 60 }, (_, i) => [
    `ORD-${String(i + 1).padStart(7, '0')}`,
    i % 17 === 0 ? null : 1 + ((i * 37) % 400),
    `2021-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')} 0${i % 10}:15:00`,
    ((500 + i * 977) / 100).toFixed(2),
    i % 4 === 0 ? 'EUR' : 'USD',
    statuses[i % statuses.length],
  ]);
  await maria.query('INSERT INTO orders (order_no, cust_id, order_date, total_amt, currency, status) VALUES ?', [orders]);
  await maria.end();
  const target = await freshPgDatabase(NEW_DB);
  await target.query(await readFile('scripts/demo-data/new-crm-schema.sql', 'utf8'));
  await target.end();
  legacyId = (await testConnection(actor, 'mysql', LEGACY_DB)).id;
  newId = (await testConnection(actor, 'postgres', NEW_DB)).id;
});

after(async () => {
  await disconnectPrisma();
});

describe('auto-map through the tables and a sample of the source', () => {
  test('orders → deals: the legacy key onto legacy_id (the new CRM generates the UUID id), never the customer id; amount, created_at and stage found', async () => {
    const result = await autoMapTables({ sourceConnectionId: legacyId, targetConnectionId: newId, sourceTable: 'orders', targetTable: 'deals' });
    assert.equal(result.sampledRows, 60);
    assert.equal(result.sampleProblem, null);
    const pairs = result.proposals.map((p) => `${p.source}→${p.target}`);
    assert.deepEqual(pairs, ['order_no→legacy_id', 'cust_id→contact_id', 'total_amt→amount', 'currency→currency', 'status→stage', 'order_date→created_at']);
    const reasons = new Map(result.proposals.map((p) => [p.target, p.reason]));
    assert.match(reasons.get('created_at') ?? '', /values are dates \(60 of 60\)/);
    assert.match(reasons.get('amount') ?? '', /values are numbers \(60 of 60\)/);
    assert.match(reasons.get('stage') ?? '', /values need a value map/);
  });

  test('customers → contacts: the legacy key onto legacy_id, nothing onto the identity id', async () => {
    const result = await autoMapTables({ sourceConnectionId: legacyId, targetConnectionId: newId, sourceTable: 'customers', targetTable: 'contacts' });
    const pairs = result.proposals.map((p) => `${p.source}→${p.target}`);
    assert.ok(pairs.includes('cust_id→legacy_id'), pairs.join(', '));
    assert.ok(!result.proposals.some((p) => p.target === 'id'), pairs.join(', '));
  });

  test('an empty source still gets proposals from names, keys and types', async () => {
    const result = await autoMapTables({ sourceConnectionId: legacyId, targetConnectionId: newId, sourceTable: 'tickets', targetTable: 'cases' });
    assert.equal(result.sampledRows, 0);
    const pairs = result.proposals.map((p) => `${p.source}→${p.target}`);
    assert.ok(pairs.includes('ticket_id→id'), pairs.join(', '));
    assert.ok(!pairs.includes('cust_id→id'), pairs.join(', '));
  });
});
