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
