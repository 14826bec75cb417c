import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SourceFilter } from '../schemas/mapping-spec';
import { compileSourceFilter, likeToRegExp } from './source-filter';

const matches = (filters: SourceFilter[], row: Record<string, unknown>) => compileSourceFilter(filters)(row);

describe('compileSourceFilter', () => {
  test('no filters match everything; several filters must all match', () => {
    assert.equal(matches([], { a: 1 }), true);
    const filters: SourceFilter[] = [{ column: 'status', op: 'eq', value: 'A' }, { column: 'deleted_at', op: 'is_null' }];
    assert.equal(matches(filters, { status: 'A', deleted_at: null }), true);
    assert.equal(matches(filters, { status: 'A', deleted_at: '2024-01-01' }), false);
    assert.equal(matches(filters, { status: 'I', deleted_at: null }), false);
  });

  test('null never compares, like SQL', () => {
    for (const op of ['eq', 'neq', 'lt', 'gte', 'like'] as const) {
      assert.equal(matches([{ column: 'a', op, value: 'x' }], { a: null }), false, op);
    }
    assert.equal(matches([{ column: 'a', op: 'not_null' }], { a: 0 }), true);
  });

  test('numbers compare numerically, also numeric text and bigint', () => {
    assert.equal(matches([{ column: 'n', op: 'gt', value: 9 }], { n: 10 }), true);
    assert.equal(matches([{ column: 'n', op: 'gt', value: 9 }], { n: '10' }), true);
    assert.equal(matches([{ column: 'n', op: 'lte', value: '9' }], { n: 10n }), false);
    assert.equal(matches([{ column: 'n', op: 'eq', value: 5 }], { n: 'five' }), false);
  });

  test('dates compare as instants; booleans accept 1/0', () => {
    const row = { created: new Date('2024-06-01T00:00:00Z'), active: 1 };
    assert.equal(matches([{ column: 'created', op: 'gte', value: '2024-01-01' }], row), true);
    assert.equal(matches([{ column: 'created', op: 'lt', value: '2024-01-01' }], row), false);
    assert.equal(matches([{ column: 'active', op: 'eq', value: true }], row), true);
  });

  test('like: % and _ wildcards, escapes, case-sensitive, whole value', () => {
    assert.equal(likeToRegExp('A%').test('Ada'), true);
    assert.equal(likeToRegExp('A%').test('ada'), false);
    assert.equal(likeToRegExp('_da').test('Ada'), true);
    assert.equal(likeToRegExp('100\\%').test('100%'), true);
    assert.equal(likeToRegExp('100\\%').test('1000'), false);
    assert.equal(likeToRegExp('a.c').test('abc'), false);
    assert.equal(matches([{ column: 'email', op: 'like', value: '%@example.com' }], { email: 'ada@example.com' }), true);
  });
});

test('like patterns with dashes and other punctuation compile (dates, uuids, phone numbers)', () => {
  assert.equal(likeToRegExp('2024-01-%').test('2024-01-31'), true);
  assert.equal(likeToRegExp('+1 (555) 0_0-%').test('+1 (555) 010-1234'), true);
  assert.equal(likeToRegExp('a/b{2}').test('a/b{2}'), true);
  assert.equal(likeToRegExp('2024-01-%').test('2024-02-01'), false);
});
