import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkClauseColumns } from './constraint-columns';

test('a CHECK clause names its columns once each, in order, and not what its string literals hold', () => {
  assert.deepEqual(checkClauseColumns('`qty` > 0 and `amount` < 1000 and `qty` < 10'), ['qty', 'amount']);
  assert.deepEqual(checkClauseColumns("`status` in ('a`b','`x`') or `odd``name` is null"), ['status', 'odd`name']);
  assert.deepEqual(checkClauseColumns('json_valid(`payload`)'), ['payload']);
});
