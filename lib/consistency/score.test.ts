import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consistencyScore } from './score';

test('score counts a differing row twice: once in each side’s records', () => {
  assert.equal(consistencyScore({ matched: 6, different: 1, missing: 1, extra: 1 }), 6 / 10);
  assert.equal(consistencyScore({ matched: 10, different: 0, missing: 0, extra: 0 }), 1);
  assert.equal(consistencyScore({ matched: 0, different: 0, missing: 3, extra: 0 }), 0);
});

test('two empty tables are consistent', () => {
  assert.equal(consistencyScore({ matched: 0, different: 0, missing: 0, extra: 0 }), 1);
});
