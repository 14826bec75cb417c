import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { previewMappingSchema } from './mapping-request';

const ids = { sourceConnectionId: '6f1c2a52-2a3e-4f43-9d1b-0f5a8f1e2c11', targetConnectionId: '7a2d3b63-3b4f-4a54-8e2c-1a6b9a2f3d22' };
const spec = (key: string[]) => ({
  source: { table: 'people', key },
  target: { table: 'contacts', key: ['id'] },
  fields: [{ target: 'id', sources: [key[0]] }],
});

const issuePaths = (input: unknown): string[] => {
  const result = previewMappingSchema.safeParse(input);
  assert.equal(result.success, false, 'expected the request to be rejected');
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
};

describe('previewMappingSchema keys', () => {
  test('accepts key tuples with one value per key column', () => {
    assert.equal(previewMappingSchema.safeParse({ ...ids, spec: spec(['id']), keys: [[1], ['2']] }).success, true);
    assert.equal(previewMappingSchema.safeParse({ ...ids, spec: spec(['region', 'id']), keys: [['eu', 1]] }).success, true);
  });

  test('refuses a tuple with the wrong number of values, naming it', () => {
    assert.deepEqual(issuePaths({ ...ids, spec: spec(['id']), keys: [[1], [1, 2, 3]] }), ['keys.1']);
    assert.deepEqual(issuePaths({ ...ids, spec: spec(['region', 'id']), keys: [[1]] }), ['keys.0']);
    assert.deepEqual(issuePaths({ ...ids, spec: spec(['id']), keys: [[]] }), ['keys.0']);
  });
});
