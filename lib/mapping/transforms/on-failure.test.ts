import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Transform } from '../../schemas/mapping-spec';
import { compileTransform } from './index';
import { withFailurePolicy } from './on-failure';
import { throwsCode } from './test-support';

const compiled = (transform: Transform) => withFailurePolicy(transform, compileTransform(transform));

describe('onFailure', () => {
  test('reject (or none) lets the value fail the row', () => {
    throwsCode(() => compiled({ op: 'email' })('nobody'), 'invalid_email');
    throwsCode(() => compiled({ op: 'email', onFailure: 'reject' })('nobody'), 'invalid_email');
  });

  test('null and keep replace the failure; good values convert as before', () => {
    assert.equal(compiled({ op: 'cast', to: 'integer', onFailure: 'null' })('twelve'), null);
    assert.equal(compiled({ op: 'cast', to: 'integer', onFailure: 'keep' })('twelve'), 'twelve');
    assert.equal(compiled({ op: 'cast', to: 'integer', onFailure: 'keep' })('12'), 12);
    assert.equal(compiled({ op: 'parse_date', format: 'DD/MM/YYYY', timeZone: 'UTC', output: 'date', onFailure: 'null' })('31/02/2024'), null);
  });

  test('an unexpected failure is not swallowed', () => {
    const broken = withFailurePolicy({ op: 'email', onFailure: 'null' }, () => {
      throw new RangeError('bug');
    });
    assert.throws(() => broken('x'), RangeError);
  });
});
