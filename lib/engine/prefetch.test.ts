import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prefetchOne } from './prefetch';

test('prefetchOne yields every item in order and starts the next read before the caller is done', async () => {
  const started: number[] = [];
  async function* source() {
    for (let i = 0; i < 3; i++) {
      started.push(i);
      yield i;
    }
  }
  const seen: number[] = [];
  for await (const item of prefetchOne(source())) {
    seen.push(item);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (item < 2) assert.ok(started.includes(item + 1), `read ${item + 1} began while ${item} was processed`);
  }
  assert.deepEqual(seen, [0, 1, 2]);
});

test('stopping early closes the source and swallows a failing read ahead', async () => {
  let closed = false;
  async function* source() {
    try {
      yield 1;
      throw new Error('read failed after the caller stopped');
    } finally {
      closed = true;
    }
  }
  for await (const item of prefetchOne(source())) {
    assert.equal(item, 1);
    break;
  }
  assert.ok(closed);
});
