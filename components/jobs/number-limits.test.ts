import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorPolicySchema, jobOptionsSchema } from '@/lib/schemas/job-request';
import { describeLimits, inputLimits, numberLimits, outsideLimits } from './number-limits';

test('limits come from the schema the server validates with', () => {
  assert.deepEqual(numberLimits(jobOptionsSchema.shape.batchRows), { min: 10, max: 50_000, integer: true });
  assert.deepEqual(numberLimits(errorPolicySchema.shape.maxFailedPercent), { min: 0, max: 100, integer: false });
  // An integer without an upper bound has none, not the safe-integer range.
  assert.deepEqual(numberLimits(errorPolicySchema.shape.maxFailedRows), { min: 0, max: undefined, integer: true });
  assert.throws(() => numberLimits(jobOptionsSchema.shape.fullReload));
});

test('inputs carry the limits, and the page words them', () => {
  assert.deepEqual(inputLimits(numberLimits(jobOptionsSchema.shape.chunkRows)), { min: 100, max: 5_000_000, step: 1 });
  assert.equal(describeLimits(numberLimits(jobOptionsSchema.shape.chunkRows)), 'a whole number from 100 to 5,000,000');
  assert.equal(describeLimits(numberLimits(errorPolicySchema.shape.maxFailedRows)), 'a whole number, at least 0');
  assert.equal(describeLimits(numberLimits(errorPolicySchema.shape.maxFailedPercent)), 'a number from 0 to 100');
});

test('a value outside the limits is recognised', () => {
  const batch = numberLimits(jobOptionsSchema.shape.batchRows);
  assert.equal(outsideLimits(5, batch), true);
  assert.equal(outsideLimits(50_001, batch), true);
  assert.equal(outsideLimits(12.5, batch), true);
  assert.equal(outsideLimits(100, batch), false);
  assert.equal(outsideLimits(12.5, numberLimits(errorPolicySchema.shape.maxFailedPercent)), false);
});
