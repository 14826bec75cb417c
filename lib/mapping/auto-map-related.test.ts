import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testColumn } from './test-columns';
import { autoMap } from './auto-map';
import { proposeTargetKey } from './propose-target-key';

// Auto-map between related tables: keys, value evidence and references through the other saved mappings.
const col = testColumn;

const pairs = (proposals: ReturnType<typeof autoMap>) => proposals.map((p) => `${p.source}→${p.target}`);

// The demo's legacy orders (MariaDB: dates and decimals arrive as text) and the new CRM's deals.
const orders = {
  columns: [
    col('order_no', 'text', { dataType: 'varchar(20)', nullable: false, maxLength: 20 }),
    col('cust_id', 'integer', { dataType: 'int(11)' }),
    col('order_date', 'timestamp', { dataType: 'datetime' }),
    col('total_amt', 'decimal', { dataType: 'decimal(12,2)', numericPrecision: 12, numericScale: 2 }),
    col('currency', 'text', { dataType: 'char(3)', maxLength: 3 }),
    col('status', 'text', { dataType: 'varchar(12)', maxLength: 12 }),
  ],
  primaryKey: ['order_no'],
  uniqueConstraints: [],
  foreignKeys: [],
};
const deals = {
  columns: [
    col('id', 'text', { nullable: false }),
    col('contact_id', 'integer', { dataType: 'bigint', nullable: false }),
    col('amount', 'decimal', { dataType: 'numeric(12,2)', nullable: false, numericPrecision: 12, numericScale: 2 }),
    col('currency', 'text', { dataType: 'character(3)', nullable: false, maxLength: 3 }),
    col('stage', 'enum', { dataType: 'deal_stage', nullable: false, enumValues: ['open', 'won', 'lost', 'refunded'] }),
    col('closed_at', 'timestamptz'),
    col('created_at', 'timestamptz', { nullable: false }),
  ],
  primaryKey: ['id'],
  uniqueConstraints: [],
  foreignKeys: [{ name: 'deals_contact_id_fkey', columns: ['contact_id'], referencedTable: 'contacts', referencedColumns: ['id'] }],
};
const statuses = ['NEW', 'SHIPPED', 'SHIPPED', 'CANCELLED', 'cancelled ', 'RETURNED'];
const orderRows = Array.from({ length: 40 }, (_, i) => ({
  order_no: `ORD-${String(i + 1).padStart(7, '0')}`,
  cust_id: i % 13 === 0 ? null : 1 + ((i * 37) % 500),
  order_date: `2019-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')} 1${i % 10}:2${i % 10}:00`,
  total_amt: ((500 + i * 731) / 100).toFixed(2),
  currency: i % 5 === 0 ? 'EUR' : 'USD',
  status: statuses[i % statuses.length],
}));

describe('autoMap on related tables: legacy orders → deals', () => {
  test('maps the key onto the key, never the customer id, and finds amount, created_at and stage', () => {
    const proposals = autoMap(orders, deals, orderRows);
    assert.deepEqual(pairs(proposals), [
      'order_no→id',
      'cust_id→contact_id',
      'total_amt→amount',
      'currency→currency',
      'status→stage',
      'order_date→created_at',
    ]);
    const byTarget = new Map(proposals.map((p) => [p.target, p]));
    assert.match(byTarget.get('id')?.reason ?? '', /key/);
    assert.match(byTarget.get('created_at')?.reason ?? '', /values are dates/);
    assert.match(byTarget.get('amount')?.reason ?? '', /values are numbers/);
  });

  test('without a sample the names and keys alone give the same proposals', () => {
    assert.deepEqual(pairs(autoMap(orders, deals)), pairs(autoMap(orders, deals, orderRows)));
  });

  test('value evidence ranks candidates: a text column holding dates beats one that does not', () => {
    const source = { columns: [col('id', 'integer'), col('created'), col('created_by')], primaryKey: ['id'] };
    const target = { columns: [col('id', 'integer'), col('created_at', 'timestamptz')], primaryKey: ['id'] };
    const rows = Array.from({ length: 20 }, (_, i) => ({ id: i, created: `2024-01-${String(i + 1).padStart(2, '0')}`, created_by: `user${i}` }));
    const [, created] = autoMap(source, target, rows);
    assert.equal(created.source, 'created');
    const garbled = rows.map((row) => ({ ...row, created: 'yesterday' }));
    const [, weak] = autoMap(source, target, garbled);
    assert.ok(weak === undefined || weak.score < created.score, 'text that is not dates counts against a date column');
  });

  test('values that repeat count against a key, values of the wrong shape against an email', () => {
    const source = { columns: [col('ref'), col('mail')], primaryKey: [] };
    const target = { columns: [col('ref'), col('email')], primaryKey: [] };
    const good = autoMap(source, target, Array.from({ length: 10 }, (_, i) => ({ ref: `R${i}`, mail: `p${i}@example.com` })));
    const bad = autoMap(source, target, Array.from({ length: 10 }, (_, i) => ({ ref: `R${i}`, mail: `call ${i}` })));
    const emailScore = (list: typeof good) => list.find((p) => p.target === 'email')?.score ?? 0;
    assert.ok(emailScore(bad) < emailScore(good), `${emailScore(bad)} < ${emailScore(good)}`);
    assert.match(good.find((p) => p.target === 'email')?.reason ?? '', /values are email addresses/);
  });
});

// The new CRM as a target that generates its own ids and keeps the legacy key beside them.
const CONTACTS_MAPPING = '6f1c2a84-94a3-4c39-8d52-0c9b2b1d7e01';
const DEALS_MAPPING = '0b7e3f55-2f0e-4f8e-9a41-5d3c8e6a9b12';
const customersToContacts = { mappingId: CONTACTS_MAPPING, name: 'customers → contacts', sourceTable: 'customers', targetTable: 'contacts', sourceKey: ['cust_id'], targetPrimaryKey: ['id'] };
const ordersToDeals = { mappingId: DEALS_MAPPING, name: 'orders → deals', sourceTable: 'orders', targetTable: 'deals', sourceKey: ['order_no'], targetPrimaryKey: ['id'] };
const generatedId = col('id', 'integer', { dataType: 'bigint', nullable: false, autoGenerated: true, defaultValue: "nextval('deals_id_seq'::regclass)" });
const dealsWithGeneratedIds = {
  ...deals,
  columns: [generatedId, col('legacy_id', 'text'), ...deals.columns.slice(1)],
  uniqueConstraints: [{ name: 'deals_legacy_id_key', columns: ['legacy_id'] }],
};
const referenceOf = (proposals: ReturnType<typeof autoMap>, target: string) => proposals.find((p) => p.target === target)?.reference;

describe('autoMap with the other saved mappings: references and generated ids', () => {
  test('orders → deals with generated ids: the key kept as legacy_id, the customer a reference to contacts', () => {
    const proposals = autoMap(orders, dealsWithGeneratedIds, orderRows, [customersToContacts]);
    assert.deepEqual(pairs(proposals), ['order_no→legacy_id', 'cust_id→contact_id', 'total_amt→amount', 'currency→currency', 'status→stage', 'order_date→created_at']);
    assert.deepEqual(referenceOf(proposals, 'contact_id'), { by: 'id_map', mapping: CONTACTS_MAPPING });
    assert.equal(referenceOf(proposals, 'legacy_id'), undefined);
    assert.match(proposals.find((p) => p.target === 'contact_id')?.reason ?? '', /the contacts id that mapping “customers → contacts” wrote for cust_id \(named like customers\.cust_id\)/);
    assert.match(proposals.find((p) => p.target === 'legacy_id')?.reason ?? '', /the source’s key kept as the legacy id \(order_no → legacy_id\); values are unique/);
    assert.deepEqual(proposeTargetKey(orders, dealsWithGeneratedIds, proposals), ['legacy_id']);
  });

  test('nothing goes onto a generated primary key, not even a column of the same name', () => {
    const source = { columns: [col('id', 'integer'), col('email')], primaryKey: ['id'] };
    const target = { columns: [col('id', 'integer', { autoGenerated: true }), col('external_id', 'integer'), col('email')], primaryKey: ['id'], uniqueConstraints: [{ name: 'ext', columns: ['external_id'] }] };
    const proposals = autoMap(source, target);
    assert.deepEqual(pairs(proposals), ['id→external_id', 'email→email']);
    assert.deepEqual(proposeTargetKey(source, target, proposals), ['external_id']);
    // Without a unique column the source key feeds, no key is proposed: the analyst chooses.
    assert.equal(proposeTargetKey(source, { ...target, uniqueConstraints: [] }, proposals), null);
  });

  test('a primary key with a default (gen_random_uuid()) is generated too: the demo deals', () => {
    const uuidDeals = {
      ...dealsWithGeneratedIds,
      columns: [col('id', 'uuid', { nullable: false, defaultValue: 'gen_random_uuid()' }), ...dealsWithGeneratedIds.columns.slice(1)],
    };
    const proposals = autoMap(orders, uuidDeals, orderRows, [customersToContacts]);
    assert.deepEqual(pairs(proposals), ['order_no→legacy_id', 'cust_id→contact_id', 'total_amt→amount', 'currency→currency', 'status→stage', 'order_date→created_at']);
    assert.deepEqual(proposeTargetKey(orders, uuidDeals, proposals), ['legacy_id']);
    // Only a one-column key: a default on part of a composite key is a value, not an id.
    const composite = { columns: [col('tenant', 'integer', { defaultValue: '1' }), col('ref')], primaryKey: ['tenant', 'ref'] };
    assert.deepEqual(pairs(autoMap({ columns: [col('tenant', 'integer'), col('ref')], primaryKey: ['tenant', 'ref'] }, composite)), ['tenant→tenant', 'ref→ref']);
  });

  test('the demo deals (legacy key as id): order_no → id stays, and the key is also kept in legacy_<key>', () => {
    const target = { ...deals, columns: [...deals.columns, col('legacy_order_no', 'text'), col('legacy_status', 'text')] };
    const proposals = autoMap(orders, target, orderRows, [customersToContacts]);
    assert.deepEqual(pairs(proposals).slice(0, 2), ['order_no→id', 'cust_id→contact_id']);
    assert.ok(pairs(proposals).includes('order_no→legacy_order_no'), pairs(proposals).join(', '));
    assert.ok((proposals.find((p) => p.target === 'legacy_order_no')?.score ?? 0) > 0.95, 'legacy_ + the key’s own name, unique values');
    assert.ok(!pairs(proposals).some((p) => p.endsWith('→legacy_status')), 'only the key goes onto a legacy column');
    assert.deepEqual(proposeTargetKey(orders, target, proposals), ['id']);
  });

  test('without related mappings or the target’s foreign key, the plain copy is proposed', () => {
    assert.equal(referenceOf(autoMap(orders, deals, orderRows), 'contact_id'), undefined);
    assert.equal(referenceOf(autoMap(orders, { ...deals, foreignKeys: [] }, orderRows, [customersToContacts]), 'contact_id'), undefined);
    assert.ok(pairs(autoMap(orders, { ...deals, foreignKeys: [] }, orderRows, [customersToContacts])).includes('cust_id→contact_id'));
    // A foreign key onto contacts.legacy_id wants the legacy value itself, not the id map's.
    const ontoLegacy = { ...deals, foreignKeys: [{ ...deals.foreignKeys[0], referencedColumns: ['legacy_id'] }] };
    assert.equal(referenceOf(autoMap(orders, ontoLegacy, orderRows, [customersToContacts]), 'contact_id'), undefined);
  });

  test('payments → payments: order_no is the deal’s key, so deal_id references orders → deals', () => {
    const legacyPayments = { columns: [col('id', 'integer'), col('order_no'), col('paid_at', 'timestamp'), col('amount', 'decimal'), col('method')], primaryKey: ['id'] };
    const payments = {
      columns: [col('id', 'integer'), col('deal_id', 'integer', { nullable: false }), col('amount', 'decimal'), col('method'), col('paid_at', 'timestamptz')],
      primaryKey: ['id'],
      foreignKeys: [{ name: 'payments_deal_id_fkey', columns: ['deal_id'], referencedTable: 'deals', referencedColumns: ['id'] }],
    };
    const proposals = autoMap(legacyPayments, payments, [], [customersToContacts, ordersToDeals]);
    assert.deepEqual(pairs(proposals), ['id→id', 'order_no→deal_id', 'amount→amount', 'method→method', 'paid_at→paid_at']);
    assert.deepEqual(referenceOf(proposals, 'deal_id'), { by: 'id_map', mapping: DEALS_MAPPING });
  });

  test('a source foreign key, or <singular parent table>_id, finds the pointing column', () => {
    const target = { columns: [col('id', 'integer'), col('contact_id', 'integer')], primaryKey: ['id'], foreignKeys: deals.foreignKeys };
    const byFk = { columns: [col('visit_id', 'integer'), col('buyer', 'integer')], primaryKey: ['visit_id'], foreignKeys: [{ name: 'fk', columns: ['buyer'], referencedTable: 'customers', referencedColumns: ['cust_id'] }] };
    const proposals = autoMap(byFk, target, [], [customersToContacts]);
    assert.deepEqual(pairs(proposals), ['visit_id→id', 'buyer→contact_id']);
    assert.match(proposals[1].reason, /source foreign key onto customers/);
    const byTable = { columns: [col('visit_id', 'integer'), col('customer_id', 'integer')], primaryKey: ['visit_id'] };
    assert.deepEqual(referenceOf(autoMap(byTable, target, [], [customersToContacts]), 'contact_id'), { by: 'id_map', mapping: CONTACTS_MAPPING });
  });

  test('a self-reference goes through the source foreign key, never the row’s own key', () => {
    const STAFF = '3d0a9c1e-5b7f-4e2a-8c6d-1f9e0a2b3c4d';
    const employees = { name: 'employees', columns: [col('emp_no', 'integer'), col('full_name'), col('boss_no', 'integer')], primaryKey: ['emp_no'] };
    const staff = { name: 'staff', columns: [col('id', 'integer'), col('full_name'), col('manager_id', 'integer')], primaryKey: ['id'], foreignKeys: [{ name: 'mgr', columns: ['manager_id'], referencedTable: 'staff', referencedColumns: ['id'] }] };
    const self = [{ mappingId: STAFF, name: 'employees → staff', sourceTable: 'employees', targetTable: 'staff', sourceKey: ['emp_no'], targetPrimaryKey: ['id'] }];
    assert.equal(referenceOf(autoMap(employees, staff, [], self), 'manager_id'), undefined, 'emp_no is named like the parent key but is the row itself');
    const withFk = { ...employees, foreignKeys: [{ name: 'boss', columns: ['boss_no'], referencedTable: 'employees', referencedColumns: ['emp_no'] }] };
    const proposals = autoMap(withFk, staff, [], self);
    assert.deepEqual(pairs(proposals), ['emp_no→id', 'full_name→full_name', 'boss_no→manager_id']);
    assert.deepEqual(referenceOf(proposals, 'manager_id'), { by: 'id_map', mapping: STAFF });
  });

  test('a reference onto the target’s primary key comes only from the source’s key', () => {
    const details = { columns: [col('contact_id', 'integer'), col('bio')], primaryKey: ['contact_id'], foreignKeys: [{ name: 'fk', columns: ['contact_id'], referencedTable: 'contacts', referencedColumns: ['id'] }] };
    const notes = { columns: [col('note_id', 'integer'), col('cust_id', 'integer'), col('bio')], primaryKey: ['note_id'] };
    assert.ok(!autoMap(notes, details, [], [customersToContacts]).some((p) => p.target === 'contact_id' && p.source !== 'note_id'));
    // One row per customer (its key is the customer's): the key itself is the reference.
    const customerDetails = { columns: [col('cust_id', 'integer'), col('bio')], primaryKey: ['cust_id'] };
    const proposals = autoMap(customerDetails, details, [], [customersToContacts]);
    assert.deepEqual(pairs(proposals), ['cust_id→contact_id', 'bio→bio']);
    assert.deepEqual(referenceOf(proposals, 'contact_id'), { by: 'id_map', mapping: CONTACTS_MAPPING });
    assert.equal(proposeTargetKey(customerDetails, details, proposals)?.join(), 'contact_id');
  });
});
