import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testColumn } from './test-columns';
import { autoMap, jaroWinkler } from './auto-map';
import type { ColumnInfo } from '../connectors/connector';

const col = testColumn;

const legacyCustomers = [
  col('cust_id', 'integer'),
  col('first_nm'),
  col('last_nm'),
  col('email_addr'),
  col('phone'),
  col('status'),
  col('created_dt'), // varchar in the legacy CRM
  col('company'),
  col('country'),
  col('notes'),
  col('last_modified', 'timestamp'),
];

const contacts = [
  col('id', 'integer'),
  col('email'),
  col('full_name'),
  col('first_name'),
  col('last_name'),
  col('phone'),
  col('status', 'enum'),
  col('company'),
  col('country'),
  col('created_at', 'timestamptz'),
  col('updated_at', 'timestamptz'),
];

/** A table described by its columns only (no keys known). */
const t = (columns: ColumnInfo[], primaryKey: string[] = []) => ({ columns, primaryKey });

const pairs = (proposals: ReturnType<typeof autoMap>) => proposals.map((p) => `${p.source}→${p.target}`);

describe('autoMap', () => {
  test('legacy CRM customers → contacts', () => {
    const proposals = autoMap(t(legacyCustomers, ['cust_id']), t(contacts, ['id']));
    assert.deepEqual(pairs(proposals), [
      'cust_id→id',
      'email_addr→email',
      'first_nm→first_name',
      'last_nm→last_name',
      'phone→phone',
      'status→status',
      'company→company',
      'country→country',
      'created_dt→created_at',
      'last_modified→updated_at',
    ]);
    const byTarget = new Map(proposals.map((p) => [p.target, p]));
    assert.equal(byTarget.get('phone')?.score, 1);
    assert.equal(byTarget.get('phone')?.reason, 'same name');
    assert.match(byTarget.get('email')?.reason ?? '', /synonyms \(email_addr ≈ email\)/);
    assert.match(byTarget.get('created_at')?.reason ?? '', /needs a conversion \(text → timestamptz\)/);
    assert.ok((byTarget.get('created_at')?.score ?? 1) < (byTarget.get('email')?.score ?? 0));
    assert.equal(byTarget.has('full_name'), false);
    for (const p of proposals) assert.ok(p.score > 0 && p.score <= 1);
  });

  test('a sample of the legacy values keeps every customers → contacts proposal', () => {
    const formats = (i: number) => [`2019-03-${String(1 + (i % 28)).padStart(2, '0')}`, `${String(1 + (i % 28)).padStart(2, '0')}/03/2019`, `03-${String(1 + (i % 28)).padStart(2, '0')}-2019 10:15`, 'n/a'][i % 4];
    const rows = Array.from({ length: 30 }, (_, i) => ({
      cust_id: i + 1,
      first_nm: i % 7 === 0 ? ' Ada ' : 'Grace',
      last_nm: i % 9 === 0 ? null : 'Hopper',
      // Broken addresses, and a customer entered twice (the same email up to case).
      email_addr: i % 10 === 0 ? 'grace.hopper@@example.com' : i === 2 ? ' grace.hopper1@example.com' : `Grace.Hopper${i}@Example.com`,
      phone: i % 6 === 0 ? '' : `+1 (212) 555-01${String(i).padStart(2, '0')}`,
      status: ['A', 'I', 'P', 'a', 'X'][i % 5],
      created_dt: formats(i),
      company: i % 3 === 0 ? null : 'Acme Corp',
      country: i % 4 === 0 ? 'gb' : 'US',
      notes: null,
      last_modified: new Date(Date.UTC(2024, 0, 1 + i)),
    }));
    const contactsWithUniqueEmail = { ...t(contacts, ['id']), uniqueConstraints: [{ name: 'contacts_email_key', columns: ['email'] }] };
    const withSample = autoMap(t(legacyCustomers, ['cust_id']), contactsWithUniqueEmail, rows);
    assert.deepEqual(pairs(withSample), pairs(autoMap(t(legacyCustomers, ['cust_id']), t(contacts, ['id']))));
    assert.match(withSample.find((p) => p.target === 'email')?.reason ?? '', /values are email addresses \(27 of 30\)/);
  });

  test('is deterministic and independent of source order', () => {
    const reversed = autoMap(t([...legacyCustomers].reverse(), ['cust_id']), t(contacts, ['id']));
    assert.deepEqual(pairs(reversed), pairs(autoMap(t(legacyCustomers, ['cust_id']), t(contacts, ['id']))));
  });

  test('normalizes camelCase, separators and abbreviations', () => {
    const proposals = autoMap(t([col('FirstName'), col('EMail-Address'), col('tel_no'), col('CreatedOn', 'timestamp')]), t([
      col('first_name'),
      col('email'),
      col('phone_number'),
      col('created_at', 'timestamp'),
    ]));
    assert.deepEqual(pairs(proposals), ['FirstName→first_name', 'EMail-Address→email', 'tel_no→phone_number', 'CreatedOn→created_at']);
  });

  test('strips entity prefixes: cust_id can become id or contact_id', () => {
    assert.deepEqual(pairs(autoMap(t([col('cust_id', 'integer')]), t([col('contact_id', 'integer')]))), ['cust_id→contact_id']);
    assert.deepEqual(pairs(autoMap(t([col('cust_email'), col('cust_id', 'integer')]), t([col('email'), col('id', 'integer')]))), [
      'cust_email→email',
      'cust_id→id',
    ]);
  });

  test('type compatibility blocks impossible pairs', () => {
    assert.deepEqual(autoMap(t([col('active_dt', 'date')]), t([col('active', 'boolean')])), []);
    assert.deepEqual(autoMap(t([col('created', 'boolean')]), t([col('created_at', 'timestamptz')])), []);
  });

  test('each source is used once, for the best-scoring target', () => {
    const proposals = autoMap(t([col('email')]), t([col('email_address'), col('email')]));
    assert.deepEqual(pairs(proposals), ['email→email']);
  });

  test('similar names are a weaker fallback; ids never match non-ids', () => {
    const [proposal] = autoMap(t([col('adress_line1')]), t([col('address_line1')]));
    assert.equal(proposal.source, 'adress_line1');
    assert.ok(proposal.score < 0.8);
    assert.match(proposal.reason, /similar names/);
    assert.deepEqual(autoMap(t([col('company')]), t([col('company_id', 'integer')])), []);
    assert.deepEqual(autoMap(t([col('notes')]), t([col('status')])), []);
  });

  test('status and state are only weak synonyms', () => {
    const [proposal] = autoMap(t([col('state')]), t([col('status')]));
    assert.equal(proposal.score, 0.6);
  });

  test('never proposes a column that is not the source key for the target’s primary key', () => {
    const tickets = t([col('ticket_id', 'integer'), col('cust_id', 'integer')], ['ticket_id']);
    assert.deepEqual(pairs(autoMap(tickets, t([col('id', 'integer'), col('contact_id', 'integer')], ['id']))), ['ticket_id→id', 'cust_id→contact_id']);
    // Nothing else may take the key, however id-like its name.
    assert.deepEqual(pairs(autoMap(tickets, t([col('id', 'integer')], ['id']))), ['ticket_id→id']);
  });

  test('jaroWinkler', () => {
    assert.equal(jaroWinkler('abc', 'abc'), 1);
    assert.equal(jaroWinkler('abc', ''), 0);
    assert.ok(Math.abs(jaroWinkler('martha', 'marhta') - 0.961) < 0.001);
    assert.ok(Math.abs(jaroWinkler('dixon', 'dicksonx') - 0.813) < 0.001);
  });
});

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
