import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ago, describeSchedule, formatDelay, formatRate } from './sync-format';

test('delays in the unit people read', () => {
  assert.equal(formatDelay(null), '—');
  assert.equal(formatDelay(850), '850 ms');
  assert.equal(formatDelay(4200), '4.2 s');
  assert.equal(formatDelay(42_000), '42 s');
  assert.equal(formatDelay(190_000), '3 min 10 s');
  assert.equal(formatDelay(7_500_000), '2 h 5 min');
});

test('rates and schedules', () => {
  assert.equal(formatRate(0), '0');
  assert.equal(formatRate(0.05), '0.050');
  assert.equal(formatRate(2.34), '2.3');
  assert.equal(formatRate(1234.4), '1,234');
  assert.equal(describeSchedule({ mode: 'log', everySeconds: null, cron: null, timeZone: 'UTC' }), 'continuous (change log)');
  assert.equal(describeSchedule({ mode: 'cursor', everySeconds: 30, cron: null, timeZone: 'UTC' }), 'every 30 s');
  assert.equal(describeSchedule({ mode: 'cursor', everySeconds: null, cron: '0 * * * *', timeZone: 'Europe/Berlin' }), 'cron 0 * * * * (Europe/Berlin)');
});

test('ago and in', () => {
  assert.equal(ago(null, 0), '—');
  assert.equal(ago(new Date(10_000).toISOString(), 15_000), '5.0 s ago');
  assert.equal(ago(new Date(20_000).toISOString(), 15_000), 'in 5.0 s');
});
