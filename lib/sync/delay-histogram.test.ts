import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DELAY_BOUNDS_MS, bucketOf, emptyHistogram, mergeHistograms, percentile } from './delay-histogram';

test('delays fall in the bucket whose bound is the first at or above them', () => {
  assert.equal(bucketOf(0), 0);
  assert.equal(bucketOf(10), 0);
  assert.equal(bucketOf(11), 1);
  assert.equal(bucketOf(-5), 0);
  assert.equal(bucketOf(10_000_000), DELAY_BOUNDS_MS.length);
  for (const ms of [1, 99, 101, 555, 1_000, 12_345]) assert.ok(ms <= DELAY_BOUNDS_MS[bucketOf(ms)], `${ms}`);
});

test('percentiles of merged histograms are bucket upper bounds, never below the true value', () => {
  const a = emptyHistogram();
  const b = emptyHistogram();
  for (let i = 1; i <= 90; i++) a[bucketOf(i * 5)] += 1; // 5 … 450 ms
  for (let i = 0; i < 10; i++) b[bucketOf(2_000)] += 1;
  const merged = mergeHistograms([a, b]);
  const p50 = percentile(merged, 0.5)!;
  const p95 = percentile(merged, 0.95)!;
  assert.ok(p50 >= 250 && p50 <= 300, `p50 ${p50}`);
  assert.ok(p95 >= 2_000 && p95 <= 2_400, `p95 ${p95}`);
  assert.equal(percentile(emptyHistogram(), 0.5), null);
});
