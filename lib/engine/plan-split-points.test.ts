import assert from 'node:assert/strict';
import { test } from 'node:test';
import { denseIntegerPoints } from './plan-split-points';

test('a dense integer span is split evenly; the points keep the driver form of the key', () => {
  assert.deepEqual(denseIntegerPoints(1, 1000, 1000, 250), [[251], [501], [751]]);
  assert.deepEqual(denseIntegerPoints(1, 1000, 950, 250), [[251], [501], [751]], 'gaps of 5 % still count as dense');
  assert.deepEqual(denseIntegerPoints(1, 100, 100, 500), [], 'one chunk: no points');
  const big = denseIntegerPoints('9007199254740000', '9007199254750000', 10_001, 5_000);
  assert.deepEqual(big, [['9007199254743333'], ['9007199254746667']]);
  assert.deepEqual(denseIntegerPoints(-500, 499, 1000, 500), [[0]]);
});

test('sparse, empty or non-integer bounds get no arithmetic points', () => {
  assert.equal(denseIntegerPoints(1, 1000, 899, 100), null, 'under 90 % of the span holds rows');
  assert.equal(denseIntegerPoints(1, 5_000_000, 1652, 200), null);
  assert.equal(denseIntegerPoints(10, 1, 10, 5), null);
  assert.equal(denseIntegerPoints('a', 'z', 26, 5), null);
  assert.equal(denseIntegerPoints(1.5, 10, 10, 5), null);
});
