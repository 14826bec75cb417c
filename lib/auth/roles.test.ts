import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../errors';
import { can, permissionGrants, requirePermission, type Actor } from './roles';

test('admins do everything, analysts edit configuration, viewers only read', () => {
  assert.ok(can('admin', 'jobs:control') && can('admin', 'users:manage') && can('admin', 'audit:read'));
  assert.ok(can('analyst', 'connections:write') && can('analyst', 'mappings:write') && can('analyst', 'errors:edit'));
  assert.ok(!can('analyst', 'jobs:control') && !can('analyst', 'users:manage'));
  assert.ok(can('viewer', 'read'));
  for (const permission of ['connections:write', 'mappings:write', 'errors:edit', 'jobs:control', 'users:manage', 'audit:read'] as const) {
    assert.ok(!can('viewer', permission), permission);
  }
});

test('only admins cause writes to targets; analysts correct error rows without replaying them', () => {
  assert.deepEqual(permissionGrants['jobs:control'], ['admin']);
  assert.deepEqual(permissionGrants['errors:edit'], ['admin', 'analyst']);
  assert.deepEqual(permissionGrants['mappings:purge'], ['admin']);
});

test('a refused permission is a forbidden AppError naming what was needed', () => {
  const viewer: Actor = { id: 'u', email: 'v@x', name: 'V', role: 'viewer' };
  assert.throws(
    () => requirePermission(viewer, 'jobs:control'),
    (e: unknown) => e instanceof AppError && e.status === 403 && /jobs:control/.test(e.message),
  );
});
