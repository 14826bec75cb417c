import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countBy, topCauses, type ErrorFacet } from './error-facets';
import { keyCells, keyHeaders } from './error-rows-csv';

// The demo's 909 failures: 459 of them one cause.
const facets: ErrorFacet[] = [
  { stage: 'write', field: 'contact_id', code: 'foreign_key_violation', count: 459 },
  { stage: 'transform', field: 'created_at', code: 'unparseable_date', count: 250 },
  { stage: 'validate', field: 'amount', code: 'check_violation', count: 120 },
  { stage: 'write', field: 'amount', code: 'check_violation', count: 70 },
  { stage: 'read', field: null, code: 'null_key', count: 10 },
];

const pairs = (counts: ReturnType<typeof countBy>) => counts.map((c) => [c.value, c.count]);

describe('error facets', () => {
  test('counts per stage, field and code, most first', () => {
    assert.deepEqual(pairs(countBy(facets, 'stage')), [['write', 529], ['transform', 250], ['validate', 120], ['read', 10]]);
    assert.deepEqual(pairs(countBy(facets, 'field')), [['contact_id', 459], ['created_at', 250], ['amount', 190], [null, 10]]);
    assert.deepEqual(pairs(countBy(facets, 'code')), [['foreign_key_violation', 459], ['unparseable_date', 250], ['check_violation', 190], ['null_key', 10]]);
  });

  test('counts within what the other dimensions select, whatever this one selects', () => {
    assert.deepEqual(pairs(countBy(facets, 'field', { stage: 'write' })), [['contact_id', 459], ['amount', 70]]);
    assert.deepEqual(pairs(countBy(facets, 'stage', { stage: 'write', code: 'check_violation' })), [['validate', 120], ['write', 70]]);
  });

  test('the largest causes first', () => {
    assert.deepEqual(topCauses(facets, 2).map((f) => [f.stage, f.field, f.code, f.count]), [
      ['write', 'contact_id', 'foreign_key_violation', 459],
      ['transform', 'created_at', 'unparseable_date', 250],
    ]);
  });
});

describe('CSV keys', () => {
  test('are plain values, one column per part', () => {
    assert.deepEqual([keyHeaders(1), keyCells([103], 1)], [['source_key'], ['103']]);
    assert.deepEqual([keyHeaders(2), keyCells(['EU', 'ORD-7'], 2)], [['source_key_1', 'source_key_2'], ['EU', 'ORD-7']]);
    assert.deepEqual(keyCells([null], 1), ['']);
  });
});

test('includeResolved reads "false" from a query string as false', async () => {
  const { errorRowFilterSchema } = await import('./error-rows');
  assert.equal(errorRowFilterSchema.parse({ includeResolved: 'false' }).includeResolved, false);
  assert.equal(errorRowFilterSchema.parse({ includeResolved: 'true' }).includeResolved, true);
  assert.equal(errorRowFilterSchema.safeParse({ includeResolved: 'maybe' }).success, false);
});
