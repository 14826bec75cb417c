import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketOf, DELAY_BOUNDS_MS } from './delay-histogram';
import { delayChart, liveDelay, syncActionsOf, syncStateOf } from './sync-view';

const at = (ms: number) => new Date(ms);
const now = 1_000_000_000;

test('D is the age of the oldest change not yet applied while one waits', () => {
  const d = liveDelay({ pendingSince: at(now - 4200), lastCommitAt: at(now - 9000), lastAppliedAt: at(now - 100) }, now);
  assert.deepEqual(d, { liveMs: 4200, oldestPendingMs: 4200 });
});

test('caught up, D is the last change’s own delay while it is fresh, then 0', () => {
  const gauges = { pendingSince: null, lastCommitAt: at(now - 2300), lastAppliedAt: at(now - 2000) };
  assert.deepEqual(liveDelay(gauges, now), { liveMs: 300, oldestPendingMs: null });
  assert.deepEqual(liveDelay(gauges, now + 61_000), { liveMs: 0, oldestPendingMs: null });
  assert.deepEqual(liveDelay({ pendingSince: null, lastCommitAt: null, lastAppliedAt: null }, now), { liveMs: 0, oldestPendingMs: null });
});

test('state from the job: never started, initial load, running, lost only for a failed or running job', () => {
  assert.equal(syncStateOf(null, false), 'never_started');
  assert.equal(syncStateOf({ status: 'running', phase: 'initial_load' }, false), 'initial_load');
  assert.equal(syncStateOf({ status: 'running', phase: 'streaming' }, false), 'running');
  assert.equal(syncStateOf({ status: 'failed', phase: 'streaming' }, true), 'lost');
  assert.equal(syncStateOf({ status: 'failed', phase: 'streaming' }, false), 'failed');
  assert.equal(syncStateOf({ status: 'cancelled', phase: 'streaming' }, true), 'stopped');
  assert.equal(syncStateOf({ status: 'cancelling', phase: 'streaming' }, false), 'stopping');
  assert.equal(syncStateOf({ status: 'paused', phase: 'streaming' }, false), 'paused');
});

test('actions: start when nothing runs, the job’s controls (cancel is stop) otherwise', () => {
  assert.deepEqual(syncActionsOf(null), ['start']);
  assert.deepEqual(syncActionsOf('cancelled'), ['start']);
  assert.deepEqual(syncActionsOf('failed'), ['start']);
  assert.deepEqual(syncActionsOf('running'), ['pause', 'stop']);
  assert.deepEqual(syncActionsOf('paused'), ['resume', 'stop']);
  assert.deepEqual(syncActionsOf('cancelling'), []);
});

test('the chart merges histogram cells per bucket: p50/p95 per minute and over the hour', () => {
  const from = 60_000 * 1000;
  const fast = bucketOf(40) + 1;
  const slow = bucketOf(5000) + 1;
  const cells = [
    { at: from, bucket: fast, n: 90 },
    { at: from, bucket: slow, n: 10 },
    { at: from + 60_000, bucket: slow, n: 100 },
  ];
  const chart = delayChart(cells, { from, minutes: 3, bucketMinutes: 1 });
  assert.equal(chart.points.length, 3);
  assert.equal(chart.points[0].p50Ms, 40);
  assert.equal(chart.points[0].p95Ms, DELAY_BOUNDS_MS[slow - 1]);
  assert.equal(chart.points[0].changes, 100);
  assert.equal(chart.points[1].p50Ms, DELAY_BOUNDS_MS[slow - 1]);
  assert.equal(chart.points[2].p50Ms, null, 'a minute without changes has no percentile');
  assert.equal(chart.points[2].changes, 0);
  // 90 of 200 changes are fast: the median is slow, so is p95.
  assert.equal(chart.hourP50Ms, DELAY_BOUNDS_MS[slow - 1]);
  assert.ok(DELAY_BOUNDS_MS[slow - 1] >= 5000);
});
