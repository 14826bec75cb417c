import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actionLabel, dayBounds, valueText } from './audit-labels';

test('actions in words, unknown ones as recorded', () => {
  assert.equal(actionLabel('mapping.archive'), 'archived mapping');
  assert.equal(actionLabel('system.rotate_key'), 'system.rotate_key');
});

test('values as short text', () => {
  assert.equal(valueText(undefined), '—');
  assert.equal(valueText(null), 'null');
  assert.equal(valueText('db1'), 'db1');
  assert.equal(valueText(['id']), '["id"]');
});

test('a local day bounds the API range inclusively', () => {
  const bounds = dayBounds('2026-12-03')!;
  assert.equal(new Date(bounds.end).getTime() - new Date(bounds.start).getTime(), 86_400_000 - 1);
  assert.equal(dayBounds('nonsense'), null);
  assert.equal(dayBounds(''), null);
});
