import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TransformedBatch } from '../engine/transform-rows';
import { testColumn } from '../mapping/test-columns';
import { classifyMapped, compareWithTarget, normalizedKeyText } from './compare-batch';
import { compileComparer } from './normalize';

const keyComparers = [compileComparer(testColumn('email'), { exclude: false, caseInsensitive: true })];
const mapped = (id: number, email: string | null, name = 'n'): TransformedBatch['rows'][number] => ({
  sourceKey: [id],
  sourceRow: { id, email, name },
  values: { email, name },
  targetKeyText: JSON.stringify([email]),
});

test('mapping failures are missing rows, a failing NULL key is a null key, repeated keys are duplicates', () => {
  const batch: TransformedBatch = {
    inScope: 5,
    rows: [mapped(1, 'a@x'), mapped(2, 'A@X'), mapped(3, null), mapped(4, 'b@x')],
    errors: [
      { sourceKey: [5], sourceRow: { id: 5 }, stage: 'transform', field: 'name', code: 'invalid', message: 'bad' },
      { sourceKey: [6], sourceRow: { id: 6 }, stage: 'validate', field: 'email', code: 'not_null', message: 'required' },
    ],
  };
  const { keyed, diffs } = classifyMapped(batch, ['email'], keyComparers);
  assert.deepEqual(keyed.map((k) => k.sourceKey[0]), [1, 4]);
  assert.deepEqual(
    diffs.map((d) => [d.kind, d.sourceKey?.[0]]),
    [['missing', 5], ['null_key', 6], ['duplicate_key', 2], ['null_key', 3]],
  );
});

test('keyed rows match, differ by field, or are missing', () => {
  const comparers = [compileComparer(testColumn('name'), { exclude: false })];
  const batch: TransformedBatch = { inScope: 3, rows: [mapped(1, 'a@x', 'Ann'), mapped(2, 'b@x', 'Bob'), mapped(3, 'c@x', 'Cy')], errors: [] };
  const { keyed } = classifyMapped(batch, ['email'], keyComparers);
  const target = new Map([
    [normalizedKeyText({ email: 'A@x' }, keyComparers) as string, { email: 'A@x', name: 'Ann' }],
    [normalizedKeyText({ email: 'b@x' }, keyComparers) as string, { email: 'b@x', name: 'Bobby' }],
  ]);
  const result = compareWithTarget(keyed, target, comparers);
  assert.equal(result.matched, 1);
  assert.equal(result.found, 2);
  assert.deepEqual(result.diffs.map((d) => [d.kind, d.key[0], d.fields]), [
    ['different', 'b@x', [{ field: 'name', source: 'Bob', target: 'Bobby' }]],
    ['missing', 'c@x', null],
  ]);
});
