import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { createThreadPool, ThreadPoolBusyError, ThreadTaskError, ThreadTimeoutError } from './thread-pool';
import { describeProgress } from './transform-sample-in-thread';
import { mappingSpecSchema } from '../schemas/mapping-spec';

/** A thread that answers { spin: ms } after spinning the CPU that long (forever for -1), and throws on { fail }. */
const SPINNER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, input }) => {
  if (input.fail) return parentPort.postMessage({ id, ok: false, message: input.fail });
  const until = input.spin < 0 ? Infinity : Date.now() + input.spin;
  while (Date.now() < until) {}
  parentPort.postMessage({ id, ok: true, output: { threadId: require('node:worker_threads').threadId } });
});`;

const spinnerPool = (options: { size: number; budgetMs: number; maxWaiting: number }) => {
  let created = 0;
  const pool = createThreadPool<{ spin?: number; fail?: string }, { threadId: number }>({
    ...options,
    createWorker: () => {
      created += 1;
      return new Worker(SPINNER, { eval: true });
    },
  });
  return { pool, created: () => created };
};

describe('thread pool', () => {
  test('reuses its threads for tasks that finish', async () => {
    const { pool, created } = spinnerPool({ size: 1, budgetMs: 5_000, maxWaiting: 2 });
    const first = await pool.run({ spin: 1 });
    const second = await pool.run({ spin: 1 });
    assert.equal(first.threadId, second.threadId);
    assert.equal(created(), 1);
    await pool.close();
  });

  test('stops a task past its budget, keeps the calling thread responsive, and replaces the thread', async () => {
    const { pool, created } = spinnerPool({ size: 1, budgetMs: 300, maxWaiting: 2 });
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 10);
    const started = performance.now();
    await assert.rejects(pool.run({ spin: -1 }), ThreadTimeoutError);
    clearInterval(ticker);
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 290 && elapsed < 2_000, `stopped after ${elapsed} ms`);
    assert.ok(ticks >= 10, `the calling thread ticked ${ticks} times while the task spun`);
    const after = await pool.run({ spin: 1 });
    assert.ok(after.threadId > 0);
    assert.equal(created(), 2);
    await pool.close();
  });

  test('queues tasks beyond its threads, and refuses beyond the queue', async () => {
    const { pool } = spinnerPool({ size: 1, budgetMs: 2_000, maxWaiting: 1 });
    const running = pool.run({ spin: 200 });
    const queued = pool.run({ spin: 1 });
    await assert.rejects(pool.run({ spin: 1 }), ThreadPoolBusyError);
    await running;
    await queued;
    await pool.close();
  });

  test('a queued task waits one budget at most', async () => {
    const { pool } = spinnerPool({ size: 1, budgetMs: 300, maxWaiting: 2 });
    const running = assert.rejects(pool.run({ spin: -1 }), ThreadTimeoutError);
    const next = assert.rejects(pool.run({ spin: -1 }), ThreadTimeoutError);
    await new Promise((resolve) => setTimeout(resolve, 150));
    // Still queued 300 ms later: the first task's thread was stopped at 300, the next one runs until 600.
    await assert.rejects(pool.run({ spin: 1 }), ThreadPoolBusyError);
    await running;
    await next;
    await pool.close();
  });

  test("a task's own error comes back with its message and leaves the thread in service", async () => {
    const { pool, created } = spinnerPool({ size: 1, budgetMs: 2_000, maxWaiting: 1 });
    await assert.rejects(pool.run({ fail: 'bad input' }), (error: unknown) => error instanceof ThreadTaskError && error.message === 'bad input');
    await pool.run({ spin: 1 });
    assert.equal(created(), 1);
    await pool.close();
  });
});

test('a stopped preview names the row, field and step it was in', () => {
  const spec = mappingSpecSchema.parse({
    source: { table: 's', key: ['id'] },
    target: { table: 't', key: ['id'] },
    fields: [
      { target: 'id', sources: ['id'] },
      { target: 'notes', sources: ['notes'], transforms: [{ op: 'trim' }, { op: 'regex_replace', pattern: 'a+', flags: 'g', replacement: '' }] },
    ],
  });
  assert.deepEqual(describeProgress(spec, { row: 4, field: 1, step: 1 }), {
    text: 'while mapping sample row 5, field 2 (notes), step 2 (regex_replace)',
    path: 'fields.1.transforms.1',
  });
  assert.equal(describeProgress(spec, { row: 0, field: -1, step: -1 })?.path, null);
  assert.equal(describeProgress(spec, { row: -1, field: -1, step: -1 }), null);
});
