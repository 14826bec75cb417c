import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeFailedRows, describeReplayOutcome } from './failed-rows';

const replayA = 'aaaaaaaa-0000-4000-8000-000000000000';
const replayB = 'bbbbbbbb-0000-4000-8000-000000000000';

test('a job whose failed rows nobody replayed says they are listed', () => {
  assert.equal(describeFailedRows({ failed: 909, open: 909, resolved: 0, resolvedBy: [] }), '909 row(s) did not land; they are listed as error rows');
});

test('after replays the banner splits failed into still open and landed, naming who landed them', () => {
  assert.equal(
    describeFailedRows({ failed: 909, open: 392, resolved: 517, resolvedBy: [{ jobId: replayA, rows: 510 }, { jobId: null, rows: 7 }] }),
    '909 row(s) did not land: 392 still open, listed as error rows; 510 landed after replay aaaaaaaa, 7 landed when replayed one at a time',
  );
  assert.equal(
    describeFailedRows({ failed: 20, open: 0, resolved: 20, resolvedBy: [{ jobId: replayA, rows: 15 }, { jobId: replayB, rows: 5 }] }),
    '20 row(s) did not land at first; all have landed since: 15 landed after replay aaaaaaaa, 5 landed after replay bbbbbbbb',
  );
});

test('a replay tells its own outcome and where the rows that failed again are', () => {
  const outcome = { parentJobId: replayB, tried: 909, landed: 517, failedAgain: 392, stillOpen: 392, retriedLater: 0 };
  assert.equal(describeReplayOutcome(outcome), 'Replayed 909 row(s) of job bbbbbbbb: 517 landed, 392 failed again; they stay open as error rows of that job, listed below');
  assert.equal(
    describeReplayOutcome({ ...outcome, stillOpen: 300, retriedLater: 92 }),
    'Replayed 909 row(s) of job bbbbbbbb: 517 landed, 392 failed again; 300 stay open as error rows of that job (listed below), 92 were tried again since',
  );
  assert.equal(describeReplayOutcome({ ...outcome, landed: 909, failedAgain: 0, stillOpen: 0 }), 'Replayed 909 row(s) of job bbbbbbbb: 909 landed, 0 failed again');
});
