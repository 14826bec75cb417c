import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collapseWhitespace } from './collapse-whitespace';
import { concat } from './concat';
import { constant } from './constant';
import { defaultValue } from './default';
import { lower } from './lower';
import { nullIfEmpty } from './null-if-empty';
import { split } from './split';
import { trim } from './trim';
import { upper } from './upper';

describe('text transforms', () => {
  test('trim, lower, upper, collapse_whitespace', () => {
    assert.equal(trim('  Ada \t'), 'Ada');
    assert.equal(lower('ÄDA Lovelace'), 'äda lovelace');
    assert.equal(upper('straße'), 'STRASSE');
    assert.equal(collapseWhitespace('  Ada \n\t  Lovelace  '), 'Ada Lovelace');
  });

  test('non-text values pass through unchanged', () => {
    const when = new Date('2024-01-01T00:00:00Z');
    for (const fn of [trim, lower, upper, collapseWhitespace]) {
      assert.equal(fn(42), 42);
      assert.equal(fn(null), null);
      assert.equal(fn(when), when);
    }
  });

  test('null_if_empty treats whitespace-only as empty, keeps other values', () => {
    assert.equal(nullIfEmpty(''), null);
    assert.equal(nullIfEmpty('   '), null);
    assert.equal(nullIfEmpty(' x '), ' x ');
    assert.equal(nullIfEmpty(0), 0);
  });

  test('default fills null only; constant ignores the input', () => {
    assert.equal(defaultValue(null, { value: 'new' }), 'new');
    assert.equal(defaultValue(undefined, { value: 0 }), 0);
    assert.equal(defaultValue('', { value: 'new' }), '');
    assert.equal(defaultValue('kept', { value: 'new' }), 'kept');
    assert.equal(constant('anything', { value: true }), true);
    assert.equal(constant(null, { value: null }), null);
  });

  test('concat joins parts and skips null and empty ones', () => {
    assert.equal(concat(['Ada', null, '', 'Lovelace'], { separator: ' ' }), 'Ada Lovelace');
    assert.equal(concat(['Main St', 12, undefined], { separator: ', ' }), 'Main St, 12');
    assert.equal(concat([null, ''], { separator: ' ' }), null);
    assert.equal(concat('single', { separator: ' ' }), 'single');
  });

  test('split picks a part by index, negative from the end, null past the ends', () => {
    assert.equal(split('a,b,c', { separator: ',', index: 0 }), 'a');
    assert.equal(split('a,b,c', { separator: ',', index: -1 }), 'c');
    assert.equal(split('a,b,c', { separator: ',', index: 3 }), null);
    assert.equal(split('a,b,c', { separator: ',', index: -4 }), null);
    assert.equal(split('a.b', { separator: '.', index: 1 }), 'b'); // literal, not a regex
    assert.equal(split(null, { separator: ',', index: 0 }), null);
  });
});
