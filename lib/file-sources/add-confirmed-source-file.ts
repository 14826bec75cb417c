import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Actor } from '../auth/roles';
import type { CsvShape } from '../connectors/csv/csv-shape';
import { storedFilePath } from '../files/file-storage';
import { confirmSourceFileShape } from './confirm-source-file-shape';
import { detectSourceFileShape } from './detect-source-file-shape';
import { insertSourceFile } from './insert-source-file';
import { shapeOfReport } from './shape-of-report';

/**
 * A file the server already trusts (the demo's export, a benchmark's or a test's file) as
 * the next version of `table`, confirmed with its detected shape: what an upload followed
 * by "Confirm" on the Files page leaves, through the same version and confirm steps, without
 * the registration's folder rules. `file` is absolute, or relative to the storage folder.
 */
export async function addConfirmedSourceFile(
  actor: Actor,
  connectionId: string,
  table: string,
  file: string,
  originalName = path.basename(file),
): Promise<{ id: string; shape: CsvShape }> {
  const absolute = storedFilePath(file);
  const info = await stat(absolute);
  const shape = shapeOfReport(await detectSourceFileShape(absolute));
  const row = await insertSourceFile(connectionId, {
    id: randomUUID(),
    tableName: table,
    originalName,
    path: file,
    bytes: info.size,
    receivedBytes: info.size,
    status: 'uploaded',
    shape,
    uploadedById: actor.id,
  });
  await confirmSourceFileShape(row.id, shape, actor);
  return { id: row.id, shape };
}
