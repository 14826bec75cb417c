import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binlogCheckpointSchema, formatGtidPosition, parseGtidPosition } from './checkpoint';

test('GTID positions round-trip, keep the newest entry per domain and exact u64 sequences', () => {
  assert.equal(formatGtidPosition(parseGtidPosition('1-5-9,0-1-123')), '0-1-123,1-5-9');
  assert.equal(formatGtidPosition(parseGtidPosition('0-1-5,0-2-7')), '0-2-7');
  assert.equal(formatGtidPosition(parseGtidPosition('0-1-18446744073709551615')), '0-1-18446744073709551615');
  assert.equal(formatGtidPosition(parseGtidPosition('')), '');
  assert.throws(() => parseGtidPosition('uuid:1-5'));
});

test('the checkpoint schema accepts stored checkpoints and refuses malformed ones', () => {
  assert.ok(binlogCheckpointSchema.safeParse({ gtid: '0-1-3', file: 'mysql-bin.000001', position: 4 }).success);
  assert.ok(binlogCheckpointSchema.safeParse({ gtid: null, file: 'mysql-bin.000001', position: 1200 }).success);
  assert.ok(!binlogCheckpointSchema.safeParse({ gtid: '0-1', file: 'f', position: 4 }).success);
  assert.ok(!binlogCheckpointSchema.safeParse({ gtid: '', file: 'f', position: 0 }).success);
});
