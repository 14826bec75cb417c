import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SourceFileView } from '@/lib/schemas/file-source';
import { formatBytes, formatDuration, groupFilesByTable } from './file-format';

const file = (tableName: string, version: number, status: SourceFileView['status'], current = false): SourceFileView => ({
  id: `${tableName}-${version}`,
  connectionId: 'c',
  tableName,
  version,
  originalName: `${tableName}.csv`,
  bytes: 10,
  receivedBytes: 10,
  status,
  createdAt: '2026-12-03T00:00:00Z',
  confirmedAt: null,
  uploadedBy: null,
  current,
  registered: false,
});

test('a table shows its current version and a newer one waiting; older versions are history', () => {
  const [customers, orders] = groupFilesByTable([
    file('orders', 1, 'uploaded'),
    file('customers', 1, 'replaced'),
    file('customers', 3, 'uploading'),
    file('customers', 2, 'ready', true),
  ]);
  assert.equal(customers.tableName, 'customers');
  assert.deepEqual(customers.shown.map((f) => f.version), [3, 2]);
  assert.deepEqual(customers.history.map((f) => f.version), [1]);
  // Never confirmed: the newest upload is shown, nothing is history.
  assert.deepEqual(orders.shown.map((f) => f.version), [1]);
  assert.deepEqual(orders.history, []);
});

test('an abandoned upload older than the current version is history, not shown', () => {
  const [table] = groupFilesByTable([file('t', 1, 'uploading'), file('t', 2, 'ready', true)]);
  assert.deepEqual(table.shown.map((f) => f.version), [2]);
  assert.deepEqual(table.history.map((f) => f.version), [1]);
});

test('sizes and durations read as people say them', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(16 * 1024 * 1024), '16 MB');
  assert.equal(formatBytes(1536), '1.5 KB');
  assert.equal(formatDuration(42.4), '42 s');
  assert.equal(formatDuration(125), '2 min 5 s');
  assert.equal(formatDuration(Infinity), '–');
});
