import { z } from 'zod';
import { AppError } from '../errors';

export const roles = ['admin', 'analyst', 'viewer'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/**
 * What each role may do. Checked on the server for every route; the UI reads the
 * same table only to hide actions a user could not perform anyway.
 *
 * The line that matters: only admins cause writes to target databases. Analysts prepare
 * (connections, mappings, previews, corrected error-row values), viewers read. The README's
 * role table says the same in user words; tests/security/roles-table.spec.ts checks every
 * cell of it through the API.
 */
const grants = {
  'read': ['admin', 'analyst', 'viewer'],
  'connections:write': ['admin', 'analyst'],
  // Adding a file already on the server as a file source's table, by its path: it reads
  // files of the server's disk (inside FERRY_FILE_IMPORT_DIRS only). Uploads are connections:write.
  'files:register': ['admin'],
  // Mappings, and a mapping's sync settings (configuring a sync writes nothing until an admin starts it).
  'mappings:write': ['admin', 'analyst'],
  // Erasing an archived mapping with its history (jobs, error rows, reports) for good.
  'mappings:purge': ['admin'],
  // Correcting a failed row's source values: stored in Ferry, written nowhere until an admin replays.
  'errors:edit': ['admin', 'analyst'],
  // Everything that writes target rows or drives jobs that do: start a migration, verify,
  // repair, replay failed rows (one or many), pause, resume, cancel; start, pause, resume
  // and stop a sync, and dismiss the failed rows it would otherwise keep retrying.
  'jobs:control': ['admin'],
  'users:manage': ['admin'],
  'audit:read': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof grants;

/** The grants table, read-only, for tests that spend their runs where a role is allowed. */
export const permissionGrants: Readonly<Record<Permission, readonly Role[]>> = grants;

export function can(role: Role, permission: Permission): boolean {
  return (grants[permission] as readonly Role[]).includes(role);
}

export interface Actor {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor.role, permission)) {
    throw new AppError('forbidden', `The ${actor.role} role may not do this (${permission} is required)`);
  }
}
