import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDateTimeText } from './value-shapes';

test('canonical instants and dates pass the quick check; impossible ones fail like any other text', () => {
  assert.equal(checkDateTimeText('2024-02-29T23:59:59.999Z', 'timestamptz'), true);
  assert.equal(checkDateTimeText('2023-02-29T10:00:00.000Z', 'timestamptz'), false, 'no 29 February in 2023');
  assert.equal(checkDateTimeText('2024-01-01T24:00:00.000Z', 'timestamptz'), false);
  assert.equal(checkDateTimeText('2024-01-01T23:60:00.000Z', 'timestamptz'), false);
  assert.equal(checkDateTimeText('2024-01-01T23:00:60.000Z', 'timestamptz'), false);
  assert.equal(checkDateTimeText('2024-01-01T23:00:00.0x0Z', 'timestamptz'), false);
  assert.equal(checkDateTimeText('0000-01-01T00:00:00.000Z', 'timestamptz'), false);
  assert.equal(checkDateTimeText('2024-13-01', 'date'), false);
  assert.equal(checkDateTimeText('2024-12-31', 'date'), true);
  assert.equal(checkDateTimeText('2024/12/31', 'date'), false);
});

test('other ISO-like forms are still accepted by the full check', () => {
  assert.equal(checkDateTimeText('2024-01-02 03:04:05+02', 'timestamptz'), true);
  assert.equal(checkDateTimeText('2024-01-02T03:04:05.123456z', 'timestamptz'), true);
  assert.equal(checkDateTimeText(' 2024-01-02 ', 'date'), true);
  assert.equal(checkDateTimeText('2024-01-02T03:04:05.000Z', 'date'), false, 'a date column takes no time of day');
  assert.equal(checkDateTimeText('2024-01-02 03:04', 'timestamp'), true);
});
