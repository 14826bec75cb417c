import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SourceFilter } from '../schemas/mapping-spec';
import { compileLike, compileSourceFilter } from './source-filter';

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
    assert.equal(compileLike('A%')('Ada'), true);
    assert.equal(compileLike('A%')('ada'), false);
    assert.equal(compileLike('_da')('Ada'), true);
    assert.equal(compileLike('100\\%')('100%'), true);
    assert.equal(compileLike('100\\%')('1000'), false);
    assert.equal(compileLike('a.c')('abc'), false);
    assert.equal(matches([{ column: 'email', op: 'like', value: '%@example.com' }], { email: 'ada@example.com' }), true);
  });
});

test('like patterns with dashes and other punctuation compile (dates, uuids, phone numbers)', () => {
  assert.equal(compileLike('2024-01-%')('2024-01-31'), true);
  assert.equal(compileLike('+1 (555) 0_0-%')('+1 (555) 010-1234'), true);
  assert.equal(compileLike('a/b{2}')('a/b{2}'), true);
  assert.equal(compileLike('2024-01-%')('2024-02-01'), false);
});

test('like matches as the SQL pattern says, without backtracking (random patterns against a regex oracle)', () => {
  const oracle = (pattern: string) => {
    let source = '';
    for (let i = 0; i < pattern.length; i++) {
      const char = pattern[i];
      if (char === '\\' && i + 1 < pattern.length) source += pattern[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      else if (char === '%') source += '.*';
      else if (char === '_') source += '.';
      else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
    return new RegExp(`^${source}$`, 'su');
  };
  const alphabet = ['a', 'b', '%', '_', '\\'];
  let seed = 7;
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let run = 0; run < 3000; run++) {
    const pattern = Array.from({ length: next(7) }, () => alphabet[next(alphabet.length)]).join('');
    const text = Array.from({ length: next(7) }, () => ['a', 'b', '%', '\n', '😀'][next(5)]).join('');
    assert.equal(compileLike(pattern)(text), oracle(pattern).test(text), `${JSON.stringify(pattern)} on ${JSON.stringify(text)}`);
  }
});

test('like with many % on a long value that does not match answers at once', () => {
  const started = performance.now();
  assert.equal(compileLike('%a%a%a%a%a%a%a%a%a%a%b')('a'.repeat(20_000)), false);
  assert.equal(compileLike('%a%a%a%a%a%a%a%a%a%a%b')(`${'a'.repeat(20_000)}b`), true);
  assert.ok(performance.now() - started < 1000, `took ${performance.now() - started} ms`);
});

test('like: _ is one character, even outside the Basic Multilingual Plane', () => {
  assert.equal(compileLike('a_b')('a😀b'), true);
  assert.equal(compileLike('%')(''), true);
  assert.equal(compileLike('')(''), true);
  assert.equal(compileLike('')('a'), false);
});
