import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Row } from '../connectors/connector';
import { targetColumnsOf } from '../mapping/apply-mapping';
import { testColumn as col } from '../mapping/test-columns';
import { mappingSpecSchema, type MappingSpecInput } from '../schemas/mapping-spec';
import { makeListBatchTransformer, sourceReadColumns } from './transform-list-rows';
import { makeBatchTransformer } from './transform-rows';

const spec = (input: Partial<MappingSpecInput> = {}) =>
  mappingSpecSchema.parse({
    source: { table: 'customers', key: ['cust_id'] },
    target: { table: 'contacts', key: ['id'] },
    fields: [
      { target: 'id', sources: ['cust_id'] },
      { target: 'email', sources: ['email_addr'], transforms: [{ op: 'trim' }, { op: 'lower' }, { op: 'email' }] },
      { target: 'full_name', sources: ['first_nm', 'last_nm'], transforms: [{ op: 'trim' }, { op: 'concat', separator: ' ' }] },
      { target: 'status', sources: ['status'], transforms: [{ op: 'value_map', map: { A: 'active', I: 'inactive' } }] },
      { target: 'source_system', transforms: [{ op: 'constant', value: 'legacy' }] },
    ],
    ...input,
  });

const columns = [
  col('id', 'integer', { nullable: false }),
  col('email', 'text', { maxLength: 20 }),
  col('full_name', 'text', { nullable: false }),
  col('status', 'text'),
  col('source_system', 'text'),
];

const rows: Row[] = [
  { cust_id: 1, email_addr: ' Ada@Example.com ', first_nm: ' Ada ', last_nm: 'Lovelace', status: 'A', region: 'EU' },
  { cust_id: 2, email_addr: 'not an email', first_nm: 'Bob', last_nm: null, status: 'X', region: 'US' },
  { cust_id: null, email_addr: 'c@example.com', first_nm: 'Cy', last_nm: 'Null', status: 'A', region: 'EU' },
  { cust_id: 4, email_addr: 'a.very.long.address@example.com', first_nm: 'Di', last_nm: 'Long', status: 'I', region: 'US' },
  { cust_id: 5, email_addr: null, first_nm: null, last_nm: null, status: null, region: 'EU' },
];

/** The rows as the array read returns them: values in sourceReadColumns order. */
const asArrays = (s: ReturnType<typeof spec>) => {
  const order = sourceReadColumns(s);
  return rows.map((row) => order.map((c) => row[c]));
};

/** The same rows as readRange returns them: only the columns read, in the same order. */
const asObjects = (s: ReturnType<typeof spec>): Row[] => {
  const order = sourceReadColumns(s);
  return rows.map((row) => Object.fromEntries(order.map((c) => [c, row[c]])));
};

describe('makeListBatchTransformer', () => {
  for (const [name, s] of [
    ['without a filter', spec()],
    ['with a source filter', spec({ source: { table: 'customers', key: ['cust_id'], filter: [{ column: 'region', op: 'eq', value: 'EU' }] } })],
  ] as const) {
    test(`gives the same rows, values and error rows as makeBatchTransformer (${name})`, () => {
      const expected = makeBatchTransformer(s, columns, [])(asObjects(s));
      const { transform } = makeListBatchTransformer(s, columns, []);
      const actual = transform(asArrays(s));
      assert.equal(actual.inScope, expected.inScope);
      assert.ok(expected.rows.length > 0 && expected.errors.length > 0, 'the fixture has both kinds');
      const targets = targetColumnsOf(s);
      assert.deepEqual(
        actual.rows.map((r) => ({ sourceKey: r.sourceKey, sourceRow: r.sourceRow, list: r.list, targetKeyText: r.targetKeyText })),
        expected.rows.map((r) => ({ sourceKey: r.sourceKey, sourceRow: r.sourceRow, list: targets.map((c) => r.values[c] ?? null), targetKeyText: r.targetKeyText })),
      );
      for (const [i, row] of actual.rows.entries()) {
        for (const c of targets) assert.equal(row.values[c], expected.rows[i].values[c] ?? null, c);
        assert.ok(targets.every((c) => c in row.values));
      }
      assert.deepEqual(actual.errors, expected.errors);
    });
  }

  test('the cursor key comes from the array by the key column position', () => {
    const s = spec();
    const { sourceKeyOf } = makeListBatchTransformer(s, columns, []);
    assert.deepEqual(sourceKeyOf(asArrays(s)[3]), [4]);
  });
});
