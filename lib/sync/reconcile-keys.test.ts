import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reconcileDue } from './reconcile-keys';

const hour = 60 * 60_000;
const now = Date.parse('2026-03-01T12:00:00Z');

test('a reconciliation is due when deletions are acted on and the last one is an interval old', () => {
  assert.equal(reconcileDue({ deletePolicy: 'apply', reconcileMinutes: 60, lastReconcileAt: null }, now), true);
  assert.equal(reconcileDue({ deletePolicy: 'mark', reconcileMinutes: 60, lastReconcileAt: new Date(now - hour) }, now), true);
  assert.equal(reconcileDue({ deletePolicy: 'apply', reconcileMinutes: 60, lastReconcileAt: new Date(now - hour + 1) }, now), false);
});

test('never when deletions are ignored or reconciliation is off', () => {
  assert.equal(reconcileDue({ deletePolicy: 'ignore', reconcileMinutes: 60, lastReconcileAt: null }, now), false);
  assert.equal(reconcileDue({ deletePolicy: 'apply', reconcileMinutes: 0, lastReconcileAt: null }, now), false);
});
