import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cast } from './cast';
import { throwsCode } from './test-support';

describe('cast', () => {
  test('integer accepts whole numbers in several spellings', () => {
    assert.equal(cast('42', { to: 'integer' }), 42);
    assert.equal(cast(' 42 ', { to: 'integer' }), 42);
    assert.equal(cast(42, { to: 'integer' }), 42);
    assert.equal(cast('42.0', { to: 'integer' }), 42);
    assert.equal(cast('-7', { to: 'integer' }), -7);
    assert.equal(cast('1e3', { to: 'integer' }), 1000);
    assert.equal(cast(true, { to: 'integer' }), 1);
    assert.equal(cast('', { to: 'integer' }), null);
    assert.equal(cast(null, { to: 'integer' }), null);
  });

  test('integer keeps values beyond 2^53 exact as text', () => {
    assert.equal(cast('9007199254740993', { to: 'integer' }), '9007199254740993');
    assert.equal(cast(9007199254740993n, { to: 'integer' }), '9007199254740993');
  });

  test('integer rejects fractions and words', () => {
    throwsCode(() => cast('4.2', { to: 'integer' }), 'invalid_number', '"4.2"');
    throwsCode(() => cast(4.2, { to: 'integer' }), 'invalid_number');
    throwsCode(() => cast('abc', { to: 'integer' }), 'invalid_number', '"abc"');
    throwsCode(() => cast('1,000', { to: 'integer' }), 'invalid_number');
    throwsCode(() => cast(Number.NaN, { to: 'integer' }), 'invalid_number');
  });

  test('decimal rounds half-up on the digits, without float artifacts', () => {
    assert.equal(cast('12.345', { to: 'decimal', scale: 2 }), '12.35');
    assert.equal(cast('-12.345', { to: 'decimal', scale: 2 }), '-12.35');
    assert.equal(cast('12.344', { to: 'decimal', scale: 2 }), '12.34');
    assert.equal(cast(1.005, { to: 'decimal', scale: 2 }), '1.01');
    assert.equal(cast(0.1 + 0.2, { to: 'decimal', scale: 2 }), '0.30');
    assert.equal(cast('99.995', { to: 'decimal', scale: 2 }), '100.00');
    assert.equal(cast('12', { to: 'decimal', scale: 2 }), '12.00');
    assert.equal(cast('-0.001', { to: 'decimal', scale: 2 }), '0.00');
    assert.equal(cast('0012.50', { to: 'decimal' }), '12.50');
    assert.equal(cast('1.5e3', { to: 'decimal' }), '1500');
    assert.equal(cast('7', { to: 'decimal', scale: 0 }), '7');
  });

  test('decimal rejects non-numbers', () => {
    throwsCode(() => cast('12,50', { to: 'decimal', scale: 2 }), 'invalid_number');
    throwsCode(() => cast('abc', { to: 'decimal' }), 'invalid_number');
    throwsCode(() => cast(Number.POSITIVE_INFINITY, { to: 'decimal' }), 'invalid_number');
  });

  test('boolean accepts common yes/no spellings case-insensitively', () => {
    for (const yes of [true, 1, '1', 'true', 'TRUE', 'yes', 'Y', 't']) assert.equal(cast(yes, { to: 'boolean' }), true, String(yes));
    for (const no of [false, 0, '0', 'false', 'No', 'n', 'F']) assert.equal(cast(no, { to: 'boolean' }), false, String(no));
    assert.equal(cast(' ', { to: 'boolean' }), null);
    throwsCode(() => cast('maybe', { to: 'boolean' }), 'invalid_boolean', '"maybe"');
    throwsCode(() => cast(2, { to: 'boolean' }), 'invalid_boolean');
  });

  test('text', () => {
    assert.equal(cast(42, { to: 'text' }), '42');
    assert.equal(cast(false, { to: 'text' }), 'false');
    assert.equal(cast(new Date('2024-01-02T03:04:05Z'), { to: 'text' }), '2024-01-02T03:04:05.000Z');
    assert.equal(cast({ a: 1 }, { to: 'text' }), '{"a":1}');
    assert.equal(cast(null, { to: 'text' }), null);
  });
});
