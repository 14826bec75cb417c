import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CursorProbe } from '../../connectors/connector';
import { advanceCursor } from './advance-cursor';
import { compareCursor, cursorAtInstant } from './cursor-value';
import { DEFAULT_CURSOR_LAG_MS, describeCursorFinding, planCursorRun } from './plan-cursor-run';

const probe = (over: Partial<CursorProbe> = {}): CursorProbe => ({
  kind: 'instant',
  zone: 'UTC',
  now: '2026-03-01T12:00:10.250000Z',
  max: '2026-03-01 12:00:09.000000',
  nullCursorRows: 0,
  ...over,
});

test('timestamp bound: the source clock minus the lag (5 s by default), future rows above now + tolerance', () => {
  const plan = planCursorRun(null, probe());
  assert.equal(DEFAULT_CURSOR_LAG_MS, 5000);
  assert.equal(plan.upTo, '2026-03-01 12:00:05.250000');
  assert.equal(plan.futureAbove, '2026-03-01 12:00:11.250000');
  assert.deepEqual(plan.findings, []);
  assert.equal(planCursorRun(null, probe(), { lagMs: 0, futureToleranceMs: 0 }).upTo, '2026-03-01 12:00:10.250000');
  assert.throws(() => planCursorRun(null, probe(), { lagMs: -1 }), /non-negative/);
});

test('a timestamp without zone is bounded in its zone: wall time, daylight saving applied', () => {
  // 12:00:10 UTC is 13:00:10 in Berlin in winter and 14:00:10 in summer.
  assert.equal(planCursorRun(null, probe({ kind: 'wall_time', zone: 'Europe/Berlin' }), { lagMs: 0 }).upTo, '2026-03-01 13:00:10.250000');
  assert.equal(planCursorRun(null, probe({ kind: 'wall_time', zone: 'Europe/Berlin', now: '2026-07-01T12:00:10Z' }), { lagMs: 0 }).upTo, '2026-07-01 14:00:10.000000');
  // The lag is taken from the instant, then turned into wall time: across the spring-forward
  // hour, 5 s before 03:00:02 CEST is 01:59:57 CET.
  assert.equal(planCursorRun(null, probe({ kind: 'wall_time', zone: 'Europe/Berlin', now: '2026-03-29T01:00:02Z' })).upTo, '2026-03-29 01:59:57.000000');
  assert.equal(cursorAtInstant(Date.parse('2026-03-01T12:00:00.007Z'), 'instant', 'UTC'), '2026-03-01 12:00:00.007000');
});

test('an integer cursor is bounded by its largest value at the start; no lag', () => {
  const plan = planCursorRun({ cursor: '41', key: [7] }, probe({ kind: 'integer', max: '100' }), { lagMs: 5000 });
  assert.equal(plan.upTo, '100');
  assert.equal(plan.futureAbove, null);
  assert.equal(planCursorRun(null, probe({ kind: 'integer', max: null })).upTo, null);
  // Compared as integers, not texts; beyond 2^53 too.
  assert.equal(compareCursor('9', '10', 'integer'), -1);
  assert.equal(compareCursor('9007199254740993', '9007199254740992', 'integer'), 1);
});

test('a cursor moving backwards is reported, and nothing below the checkpoint is read', () => {
  const checkpoint = { cursor: '2026-03-01 12:00:09.500000', key: [1] };
  const plan = planCursorRun(checkpoint, probe({ max: '2026-03-01 11:00:00.000000' }));
  assert.deepEqual(plan.findings, [{ code: 'cursor_moved_back', checkpoint: checkpoint.cursor, sourceMax: '2026-03-01 11:00:00.000000' }]);
  // now − lag (12:00:05) is below the checkpoint: nothing to read.
  assert.equal(plan.upTo, null);
  assert.match(describeCursorFinding(plan.findings[0]), /restored backup/);
  // An emptied table moves it back too.
  assert.equal(planCursorRun(checkpoint, probe({ max: null })).findings[0].code, 'cursor_moved_back');
  // Integers alike.
  assert.equal(planCursorRun({ cursor: '50', key: [1] }, probe({ kind: 'integer', max: '49' })).findings[0].code, 'cursor_moved_back');
});

test('a source clock behind the checkpoint is reported', () => {
  const checkpoint = { cursor: '2026-03-01 12:30:00.000000', key: [1] };
  const plan = planCursorRun(checkpoint, probe({ max: '2026-03-01 12:30:00.000000' }));
  assert.deepEqual(plan.findings, [{ code: 'clock_behind_checkpoint', checkpoint: checkpoint.cursor, sourceNow: '2026-03-01 12:00:10.250000' }]);
  assert.equal(plan.upTo, null);
});

test('NULL cursors are counted; a checkpoint of another kind is refused', () => {
  assert.deepEqual(planCursorRun(null, probe({ nullCursorRows: 3 })).findings, [{ code: 'null_cursor', rows: 3 }]);
  assert.throws(() => planCursorRun({ cursor: '12', key: [1] }, probe()), /not a timestamp cursor value/);
  assert.throws(() => planCursorRun({ cursor: '2026-03-01 12:00:00.000000', key: [1] }, probe({ kind: 'integer', max: '3' })), /not a integer/);
});

test('a bound equal to the checkpoint still reads: rows with the same cursor and a larger key remain', () => {
  const checkpoint = { cursor: '2026-03-01 12:00:05.250000', key: [3] };
  assert.equal(planCursorRun(checkpoint, probe()).upTo, '2026-03-01 12:00:05.250000');
});

test('advanceCursor moves to the batch end and refuses a batch that goes nowhere or past the bound', () => {
  const upTo = '2026-03-01 12:00:05.000000';
  const from = { cursor: '2026-03-01 12:00:01.000000', key: [1, 'a'] };
  const last = { cursor: '2026-03-01 12:00:01.000000', key: [1, 'b'] };
  assert.deepEqual(advanceCursor(from, { last }, upTo, 'instant'), last);
  assert.equal(advanceCursor(from, { last: null }, upTo, 'instant'), from);
  assert.deepEqual(advanceCursor(null, { last }, upTo, 'instant'), last);
  assert.throws(() => advanceCursor(from, { last: from }, upTo, 'instant'), /no progress/);
  assert.throws(() => advanceCursor(from, { last: { cursor: '2026-03-01 12:00:00.000000', key: [9, 'z'] } }, upTo, 'instant'), /no progress/);
  assert.throws(() => advanceCursor(from, { last: { cursor: '2026-03-01 12:00:06.000000', key: [1, 'a'] } }, upTo, 'instant'), /past the run's bound/);
});
