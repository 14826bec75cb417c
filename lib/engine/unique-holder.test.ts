import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KeyTuple, Row, TableDetail } from '../connectors/connector';
import { testColumn as col } from '../mapping/test-columns';
import { writeErrorDraft, type ErrorRowDraft } from './error-row-draft';
import { nameUniqueHolders } from './unique-holder';

const contacts: TableDetail = {
  name: 'contacts',
  schema: 'public',
  estimatedRows: 0,
  columns: [col('id', 'integer'), col('email'), col('region'), col('code')],
  primaryKey: ['id'],
  uniqueConstraints: [
    { name: 'contacts_email_key', columns: ['email'] },
    { name: 'contacts_region_code_key', columns: ['region', 'code'] },
  ],
  foreignKeys: [],
  checkConstraints: [],
};

/** The target's rows, and every look-up made. */
function fakeTarget(rows: Row[]) {
  const calls: { keyColumns: string[]; keys: KeyTuple[] }[] = [];
  return {
    calls,
    async readKeys(_table: string, keyColumns: string[], columns: string[], keys: KeyTuple[]) {
      calls.push({ keyColumns, keys });
      const wanted = new Set(keys.map((k) => JSON.stringify(k.map(String))));
      // Like a driver: bigint ids come back as text.
      return rows.filter((r) => wanted.has(JSON.stringify(keyColumns.map((c) => String(r[c]))))).map((r) => Object.fromEntries(columns.map((c) => [c, c === 'id' ? String(r[c]) : r[c]])));
    },
  };
}

const draft = (id: number, values: Record<string, unknown>, field: string | null, message = 'duplicate key value violates unique constraint') =>
  writeErrorDraft({ sourceKey: [id], sourceRow: { cust_id: id }, values: { id, ...values } }, { field, code: 'unique_violation', message });

describe('nameUniqueHolders', () => {
  test('names the target key holding each value, one look-up per constraint for the whole batch', async () => {
    const target = fakeTarget([
      { id: 1042, email: 'ann@example.com', region: 'EU', code: 'A' },
      { id: 7, email: 'bob@example.com', region: 'US', code: 'B' },
    ]);
    const drafts: ErrorRowDraft[] = [
      draft(500, { email: 'ann@example.com', region: 'EU', code: 'Z' }, 'email'),
      draft(501, { email: 'bob@example.com', region: 'US', code: 'Y' }, 'contacts_email_key'),
      draft(502, { email: 'cy@example.com', region: 'EU', code: 'A' }, 'region,code'),
      { sourceKey: [503], sourceRow: {}, stage: 'transform', field: 'email', code: 'invalid_email', message: 'not an email' },
    ];
    await nameUniqueHolders(target, contacts, ['id'], drafts);
    assert.equal(drafts[0].message, 'email = ann@example.com is already held by the target row with id = 1042 (unique constraint contacts_email_key)');
    assert.equal(drafts[1].message, 'email = bob@example.com is already held by the target row with id = 7 (unique constraint contacts_email_key)');
    assert.equal(drafts[1].field, 'email');
    assert.equal(drafts[2].message, 'region = EU, code = A is already held by the target row with id = 1042 (unique constraint contacts_region_code_key)');
    assert.equal(drafts[3].message, 'not an email');
    assert.deepEqual(target.calls.map((c) => [c.keyColumns.join(','), c.keys.length]), [['email', 2], ['region,code', 1]]);
  });

  test('a failure that names no field is looked up under every unique constraint', async () => {
    const target = fakeTarget([{ id: 9, email: 'dee@example.com', region: 'EU', code: 'Q' }]);
    const drafts = [draft(600, { email: 'dee@example.com', region: 'US', code: 'Q' }, null)];
    await nameUniqueHolders(target, contacts, ['id'], drafts);
    assert.match(drafts[0].message, /^email = dee@example.com is already held by the target row with id = 9/);
  });

  test('nothing to name: no query, and messages stay when the target does not find the value', async () => {
    const target = fakeTarget([]);
    await nameUniqueHolders(target, contacts, ['id'], [{ sourceKey: [1], sourceRow: {}, stage: 'validate', field: 'email', code: 'not_null', message: 'x' }]);
    assert.equal(target.calls.length, 0);
    const drafts = [draft(700, { email: 'Eve@Example.com' }, 'email', 'original')];
    await nameUniqueHolders(target, contacts, ['id'], drafts);
    assert.equal(drafts[0].message, 'original');
  });

  test('a look-up that fails leaves the messages as they were', async () => {
    const drafts = [draft(800, { email: 'f@example.com' }, 'email', 'original')];
    await nameUniqueHolders({ readKeys: () => Promise.reject(new Error('gone')) }, contacts, ['id'], drafts);
    assert.equal(drafts[0].message, 'original');
  });
});
