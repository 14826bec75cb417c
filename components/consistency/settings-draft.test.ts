import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MappingConsistencyView } from '@/lib/schemas/consistency';
import { settingsDraft, settingsRequest } from './settings-draft';

const view: MappingConsistencyView = {
  latest: null,
  history: [],
  settings: { columns: { email: { exclude: false, caseInsensitive: true } }, rangeRows: 100_000, autoVerify: true },
  columns: [
    { name: 'id', family: 'integer', normalization: { exclude: false }, isKey: true },
    { name: 'email', family: 'text', normalization: { exclude: false, caseInsensitive: true }, isKey: false },
    { name: 'amount', family: 'decimal', normalization: { exclude: false, decimalScale: 2 }, isKey: false },
  ],
};

test('sends saved columns and changed columns only; untouched columns keep their type defaults', () => {
  const draft = settingsDraft(view);
  assert.deepEqual(Object.keys(settingsRequest(view, draft).columns), ['email']);
  draft.columns.amount = { ...draft.columns.amount, tolerance: '0.01' };
  const request = settingsRequest(view, draft);
  assert.deepEqual(Object.keys(request.columns).sort(), ['amount', 'email']);
  assert.equal(request.columns.amount.tolerance, 0.01);
  assert.equal(request.columns.amount.decimalScale, 2);
  assert.equal(request.rangeRows, 100_000);
});

test('text that is not a number is sent as typed so the server names the field', () => {
  const draft = settingsDraft(view);
  draft.columns.amount = { ...draft.columns.amount, tolerance: 'abc' };
  draft.rangeRows = 'many';
  const request = settingsRequest(view, draft);
  assert.equal(request.columns.amount.tolerance, 'abc');
  assert.equal(request.rangeRows, 'many');
});
