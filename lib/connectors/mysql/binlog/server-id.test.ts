import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_READER_SERVER_ID, MIN_READER_SERVER_ID, readerServerId } from './server-id';

test('a stable id gives the same server id every time, inside the reserved range', () => {
  assert.equal(readerServerId('sync-1'), readerServerId('sync-1'));
  for (let i = 0; i < 10_000; i++) {
    const id = readerServerId(`cl${i.toString(36)}x9`);
    assert.ok(Number.isInteger(id) && id >= MIN_READER_SERVER_ID && id <= MAX_READER_SERVER_ID, String(id));
  }
});

test('different syncs get different server ids', () => {
  const ids = new Set<number>();
  for (let i = 0; i < 10_000; i++) ids.add(readerServerId(`sync-${i}`));
  assert.equal(ids.size, 10_000);
  assert.throws(() => readerServerId(''));
});
