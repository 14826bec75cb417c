import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Transform } from '../../schemas/mapping-spec';
import { describeValue } from '../transform-error';
import { email } from './email';
import { applyTransform } from './index';
import { throwsCode } from './test-support';

describe('dispatch and messages', () => {
  test('applyTransform handles every op', () => {
    const cases: [Transform, unknown, unknown][] = [
      [{ op: 'trim' }, ' a ', 'a'],
      [{ op: 'lower' }, 'A', 'a'],
      [{ op: 'upper' }, 'a', 'A'],
      [{ op: 'collapse_whitespace' }, 'a  b', 'a b'],
      [{ op: 'null_if_empty' }, '', null],
      [{ op: 'default', value: 'x' }, null, 'x'],
      [{ op: 'constant', value: 5 }, 'ignored', 5],
      [{ op: 'cast', to: 'integer' }, '7', 7],
      [{ op: 'parse_date', format: 'DD/MM/YYYY', timeZone: 'UTC', output: 'date' }, '01/02/2024', '2024-02-01'],
      [{ op: 'phone_e164', defaultCountry: 'US' }, '212-555-0134', '+12125550134'],
      [{ op: 'email' }, 'A@B.CO', 'a@b.co'],
      [{ op: 'concat', separator: '-' }, ['a', 'b'], 'a-b'],
      [{ op: 'split', separator: ' ', index: 1 }, 'a b', 'b'],
      [{ op: 'regex_replace', pattern: 'a', flags: 'g', replacement: 'o' }, 'banana', 'bonono'],
      [{ op: 'value_map', map: { a: 1 }, caseInsensitive: false, trim: false, otherwise: { mode: 'keep' } }, 'a', 1],
    ];
    for (const [transform, input, expected] of cases) assert.deepEqual(applyTransform(input, transform), expected, transform.op);
  });

  test('messages name the value, cut to 80 characters', () => {
    const long = `${'x'.repeat(200)}@`;
    assert.ok(describeValue(long).length <= 80);
    assert.ok(describeValue(long).endsWith('…'));
    assert.equal(describeValue('a '), '"a "');
    assert.equal(describeValue(null), 'null');
    throwsCode(() => email(long), 'invalid_email', '"xxxx');
  });
});
