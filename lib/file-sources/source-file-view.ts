import path from 'node:path';
import type { Actor } from '../auth/roles';
import type { SourceFileStatus, SourceFileView } from '../schemas/file-source';

/** The columns a view is made of: never the shape (it can be large) and the path only to decide what to show. */
export const sourceFileViewSelect = {
  id: true,
  connectionId: true,
  tableName: true,
  version: true,
  originalName: true,
  path: true,
  bytes: true,
  receivedBytes: true,
  status: true,
  createdAt: true,
  confirmedAt: true,
  uploadedBy: { select: { name: true, email: true } },
} as const;

export interface SourceFileRow {
  id: string;
  connectionId: string;
  tableName: string;
  version: number;
  originalName: string;
  path: string;
  bytes: bigint;
  receivedBytes: bigint;
  status: SourceFileStatus;
  createdAt: Date;
  confirmedAt: Date | null;
  uploadedBy: { name: string; email: string } | null;
}

/**
 * A file as the API shows it. Server paths say how the machine is laid out, so only admins
 * (who may register files by path anyway) see one, and only a registered file's: an
 * upload's path is Ferry's own business.
 */
export function toSourceFileView(row: SourceFileRow, viewer: Pick<Actor, 'role'>): SourceFileView {
  const registered = path.isAbsolute(row.path);
  return {
    id: row.id,
    connectionId: row.connectionId,
    tableName: row.tableName,
    version: row.version,
    originalName: row.originalName,
    bytes: Number(row.bytes),
    receivedBytes: Number(row.receivedBytes),
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    confirmedAt: row.confirmedAt?.toISOString() ?? null,
    uploadedBy: row.uploadedBy ? { name: row.uploadedBy.name, email: row.uploadedBy.email } : null,
    current: row.status === 'ready',
    registered,
    ...(registered && viewer.role === 'admin' ? { path: row.path } : {}),
  };
}
