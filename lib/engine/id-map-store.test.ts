import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isIntKeyText } from './id-map-store';
import { referenceKeyText } from './reference-key-text';

describe('isIntKeyText: which id map table a key lives in', () => {
  test('one integer in canonical form is a bigint key, whatever the driver gave', () => {
    for (const key of [referenceKeyText([17]), referenceKeyText(['17']), '0', '-5', '9223372036854775807', '-9223372036854775808']) {
      assert.equal(isIntKeyText(key), true, key);
    }
  });

  test('anything whose text a bigint would not give back stays text, so "05" never meets 5', () => {
    for (const key of ['05', '-0', '+5', '1.0', '1e3', ' 5', '', 'ORD-1', '9223372036854775808', '-9223372036854775809', '12345678901234567890', referenceKeyText([1, 2])]) {
      assert.equal(isIntKeyText(key), false, JSON.stringify(key));
    }
  });
});
