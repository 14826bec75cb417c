import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LeaseLostError } from './unit-lease';

test('a lost lease names the kind of unit that was taken over', () => {
  assert.match(new LeaseLostError('range', 'r-1').message, /^Range r-1 was taken over by another worker/);
  assert.match(new LeaseLostError('chunk', 'c-1').message, /^Chunk c-1 was taken over by another worker/);
});
