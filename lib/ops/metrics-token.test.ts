import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metricsTokenMatches } from './metrics-token';

test('only the exact bearer token matches, and nothing matches when no token is configured', () => {
  const token = 's3cret-metrics-token';
  assert.equal(metricsTokenMatches(`Bearer ${token}`, token), true);
  for (const header of [null, '', token, `Bearer ${token} `, `bearer ${token}`, `Bearer ${token.slice(1)}`, `Bearer ${token}x`, 'Bearer ']) {
    assert.equal(metricsTokenMatches(header, token), false, String(header));
  }
  assert.equal(metricsTokenMatches('Bearer ', ''), false);
  assert.equal(metricsTokenMatches('Bearer anything', undefined), false);
});
