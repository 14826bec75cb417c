import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { spansBetween } from './spans-between';

describe('spansBetween', () => {
  test('no split point: one span over the whole table', () => {
    assert.deepEqual(spansBetween([]), [{ seq: 0, lowerKey: null, upperKey: null }]);
  });

  test('split points become shared bounds with open ends, numbered in order', () => {
    assert.deepEqual(spansBetween([[10], [20, 'b']]), [
      { seq: 0, lowerKey: null, upperKey: [10] },
      { seq: 1, lowerKey: [10], upperKey: [20, 'b'] },
      { seq: 2, lowerKey: [20, 'b'], upperKey: null },
    ]);
  });
});
