import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testColumn } from './test-columns';
import { autoMap, jaroWinkler } from './auto-map';

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

const pairs = (proposals: ReturnType<typeof autoMap>) => proposals.map((p) => `${p.source}→${p.target}`);

describe('autoMap', () => {
  test('legacy CRM customers → contacts', () => {
    const proposals = autoMap(legacyCustomers, contacts);
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

  test('is deterministic and independent of source order', () => {
    const reversed = autoMap([...legacyCustomers].reverse(), contacts);
    assert.deepEqual(pairs(reversed), pairs(autoMap(legacyCustomers, contacts)));
  });

  test('normalizes camelCase, separators and abbreviations', () => {
    const proposals = autoMap([col('FirstName'), col('EMail-Address'), col('tel_no'), col('CreatedOn', 'timestamp')], [
      col('first_name'),
      col('email'),
      col('phone_number'),
      col('created_at', 'timestamp'),
    ]);
    assert.deepEqual(pairs(proposals), ['FirstName→first_name', 'EMail-Address→email', 'tel_no→phone_number', 'CreatedOn→created_at']);
  });

  test('strips entity prefixes: cust_id can become id or contact_id', () => {
    assert.deepEqual(pairs(autoMap([col('cust_id', 'integer')], [col('contact_id', 'integer')])), ['cust_id→contact_id']);
    assert.deepEqual(pairs(autoMap([col('cust_email'), col('cust_id', 'integer')], [col('email'), col('id', 'integer')])), [
      'cust_email→email',
      'cust_id→id',
    ]);
  });

  test('type compatibility blocks impossible pairs', () => {
    assert.deepEqual(autoMap([col('active_dt', 'date')], [col('active', 'boolean')]), []);
    assert.deepEqual(autoMap([col('created', 'boolean')], [col('created_at', 'timestamptz')]), []);
  });

  test('each source is used once, for the best-scoring target', () => {
    const proposals = autoMap([col('email')], [col('email_address'), col('email')]);
    assert.deepEqual(pairs(proposals), ['email→email']);
  });

  test('similar names are a weaker fallback; ids never match non-ids', () => {
    const [proposal] = autoMap([col('adress_line1')], [col('address_line1')]);
    assert.equal(proposal.source, 'adress_line1');
    assert.ok(proposal.score < 0.8);
    assert.match(proposal.reason, /similar names/);
    assert.deepEqual(autoMap([col('company')], [col('company_id', 'integer')]), []);
    assert.deepEqual(autoMap([col('notes')], [col('status')]), []);
  });

  test('status and state are only weak synonyms', () => {
    const [proposal] = autoMap([col('state')], [col('status')]);
    assert.equal(proposal.score, 0.6);
  });

  test('jaroWinkler', () => {
    assert.equal(jaroWinkler('abc', 'abc'), 1);
    assert.equal(jaroWinkler('abc', ''), 0);
    assert.ok(Math.abs(jaroWinkler('martha', 'marhta') - 0.961) < 0.001);
    assert.ok(Math.abs(jaroWinkler('dixon', 'dicksonx') - 0.813) < 0.001);
  });
});
