import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { auditChanges } from './audit-changes';

describe('auditChanges', () => {
  test('only changed fields, as paths to the smallest changed part', () => {
    const before = { name: 'crm', host: 'db1', port: 5432, options: { ssl: 'prefer', zone: 'UTC' } };
    const after = { name: 'crm', host: 'db2', port: 5432, options: { ssl: 'require', zone: 'UTC' }, schema: 'public' };
    assert.deepEqual(auditChanges(before, after), {
      changes: [
        { path: 'host', before: 'db1', after: 'db2' },
        { path: 'options.ssl', before: 'prefer', after: 'require' },
        { path: 'schema', before: undefined, after: 'public' },
      ],
      more: 0,
    });
  });

  test('arrays of objects item by item, arrays of plain values whole', () => {
    const before = { spec: { source: { key: ['id'] }, fields: [{ target: 'id', sources: ['id'] }, { target: 'email', sources: ['mail'] }] } };
    const after = { spec: { source: { key: ['id', 'region'] }, fields: [{ target: 'id', sources: ['id'] }, { target: 'email', sources: ['email'], transforms: [{ op: 'trim' }] }] } };
    assert.deepEqual(auditChanges(before, after).changes, [
      { path: 'spec.source.key', before: ['id'], after: ['id', 'region'] },
      { path: 'spec.fields[1].sources', before: ['mail'], after: ['email'] },
      { path: 'spec.fields[1].transforms', before: undefined, after: [{ op: 'trim' }] },
    ]);
  });

  test('a creation lists every field as added; a deletion as removed', () => {
    assert.deepEqual(auditChanges(null, { name: 'x', role: 'viewer' }).changes, [
      { path: 'name', before: undefined, after: 'x' },
      { path: 'role', before: undefined, after: 'viewer' },
    ]);
    assert.deepEqual(auditChanges({ name: 'x' }, null).changes, [{ path: 'name', before: 'x', after: undefined }]);
    assert.deepEqual(auditChanges(null, null).changes, []);
  });

  test('odd field names are quoted; a plain value on its own is one change', () => {
    assert.deepEqual(auditChanges({ 'a b': 1 }, { 'a b': 2 }).changes, [{ path: '["a b"]', before: 1, after: 2 }]);
    assert.deepEqual(auditChanges('a', 'b').changes, [{ path: '(value)', before: 'a', after: 'b' }]);
  });

  test('at most 200 changes, the rest counted', () => {
    const after = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`c${i}`, i]));
    const { changes, more } = auditChanges({}, after);
    assert.equal(changes.length, 200);
    assert.equal(more, 50);
  });
});
