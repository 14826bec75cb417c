import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatScore, scoreTone } from './score-format';

test('only a perfect match shows as 100 %', () => {
  assert.equal(formatScore(1), '100 %');
  assert.equal(formatScore(0.99999), '99.9 %');
  assert.equal(formatScore(0.5), '50.0 %');
  assert.equal(formatScore(0), '0.0 %');
});

test('tones: perfect is good, near-perfect a warning, below 99 % bad', () => {
  assert.equal(scoreTone(1), 'good');
  assert.equal(scoreTone(0.995), 'warn');
  assert.equal(scoreTone(0.98), 'bad');
});
