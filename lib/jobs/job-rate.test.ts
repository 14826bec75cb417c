import assert from 'node:assert/strict';
import { test } from 'node:test';
import { etaSeconds, rowsPerRunningSecond, runningSeconds } from './job-rate';

const now = Date.parse('2026-12-03T12:00:00Z');
const ago = (seconds: number) => new Date(now - seconds * 1000);

test('running time counts the current stretch and what ran before, never the pauses between', () => {
  // Started an hour ago; ran 60 s before a long pause; resumed 5 s ago.
  const clock = { activeSeconds: 60, activeSince: ago(5), startedAt: ago(3600), finishedAt: null };
  assert.equal(runningSeconds(clock, now), 65);
  assert.equal(runningSeconds({ ...clock, activeSince: ago(5).toISOString() }, now), 65);
  // Paused: the clock stands still.
  assert.equal(runningSeconds({ ...clock, activeSince: null }, now), 60);
});

test('a job without running time recorded falls back to its wall-clock time', () => {
  assert.equal(runningSeconds({ activeSeconds: 0, activeSince: null, startedAt: ago(30), finishedAt: ago(10) }, now), 20);
  assert.equal(runningSeconds({ activeSeconds: 0, activeSince: null, startedAt: ago(30), finishedAt: null }, now), 30);
  assert.equal(runningSeconds({ activeSeconds: 0, activeSince: null, startedAt: null, finishedAt: null }, now), 0);
});

test('right after a resume the ETA is remaining work at the running rate, not inflated by the pause', () => {
  // 6,000 of 10,000 rows in 60 s of running time, after an hour's pause: 100 rows/s, 40 s left.
  const seconds = runningSeconds({ activeSeconds: 60, activeSince: ago(0), startedAt: ago(3600), finishedAt: null }, now);
  const rate = rowsPerRunningSecond(6000, seconds);
  assert.equal(rate, 100);
  assert.equal(etaSeconds(4000, rate), 40);
});

test('the ETA prefers the recent rate when rows moved in it, and is unknown without any rate or total', () => {
  assert.equal(etaSeconds(4000, 100, 200), 20);
  // Nothing moved yet in the window (chunks are starting again after a resume): the average holds.
  assert.equal(etaSeconds(4000, 100, 0), 40);
  assert.equal(etaSeconds(4000, 100, null), 40);
  assert.equal(etaSeconds(4000, 0), null);
  assert.equal(etaSeconds(null, 100), null);
  assert.equal(rowsPerRunningSecond(10, 0), 0);
});
