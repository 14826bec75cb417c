import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeHealth } from './judge-health';

const up = { ok: true, ms: 1 };
const gone = { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:5432', ms: 3 };

test('all dependencies answer and a worker beats: ok', () => {
  assert.deepEqual(judgeHealth({ postgres: up, redis: up, liveWorkers: 2 }), { status: 'ok', problems: [] });
});

test('no live worker: degraded, and the problem is named', () => {
  assert.deepEqual(judgeHealth({ postgres: up, redis: up, liveWorkers: 0 }), { status: 'degraded', problems: ['no worker is sending heartbeats'] });
});

test('PostgreSQL or Redis gone: down, whatever the workers (their count is unknown without PostgreSQL)', () => {
  assert.deepEqual(judgeHealth({ postgres: gone, redis: up, liveWorkers: 0 }), { status: 'down', problems: ['PostgreSQL does not answer'] });
  assert.deepEqual(judgeHealth({ postgres: up, redis: gone, liveWorkers: 1 }), { status: 'down', problems: ['Redis does not answer'] });
  assert.deepEqual(judgeHealth({ postgres: gone, redis: gone, liveWorkers: 0 }).problems, ['PostgreSQL does not answer', 'Redis does not answer']);
});
