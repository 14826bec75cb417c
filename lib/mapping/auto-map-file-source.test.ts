import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autoMap } from './auto-map';
import { testColumn } from './test-columns';

test("a CSV file's line number is never proposed, and does not hold the file's own id back from the target's key", () => {
  const source = {
    primaryKey: ['_line'],
    columns: [{ ...testColumn('_line', 'integer'), position: true }, testColumn('id', 'integer'), testColumn('email', 'text')],
  };
  const target = { primaryKey: ['id'], columns: [testColumn('id', 'integer'), testColumn('line', 'integer'), testColumn('email', 'text')] };
  const proposals = autoMap(source, target);
  assert.deepEqual(proposals.map((p) => [p.target, p.source]), [['id', 'id'], ['email', 'email']]);
});
