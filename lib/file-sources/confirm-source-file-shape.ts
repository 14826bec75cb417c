import { stat } from 'node:fs/promises';
import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import { fingerprintOf } from '../connectors/csv/csv-key-index';
import type { CsvShape } from '../connectors/csv/csv-shape';
import { storedFilePath } from '../files/file-storage';
import type { SourceFileView } from '../schemas/file-source';
import { assertTableNotRead } from './assert-table-not-read';
import { checkConfirmedShape } from './check-confirmed-shape';
import { sourceFileViewSelect, toSourceFileView } from './source-file-view';

/**
 * Makes a file the version its table reads, with the shape the analyst confirmed: the
 * previous ready version becomes `replaced`, the file's size and modification time are
 * kept as its fingerprint (a file changed afterwards is refused by the connector, never
 * read half new), and the connection's updatedAt moves so workers drop connectors they
 * cached for it. Confirming the ready file again changes its shape. Both are refused while
 * a job reads the table.
 */
export async function confirmSourceFileShape(id: string, shape: CsvShape, actor: Actor): Promise<SourceFileView> {
  checkConfirmedShape(shape);
  const row = await prisma().sourceFile.findUnique({ where: { id }, select: { connectionId: true, tableName: true, path: true } });
  if (!row) throw notFound('File');
  let fingerprint: string;
  try {
    const info = await stat(storedFilePath(row.path));
    fingerprint = fingerprintOf(info.size, info.mtimeMs);
  } catch {
    throw new AppError('conflict', 'The file is no longer on the server; delete this version and upload it again');
  }

  const { file, before } = await prisma().$transaction(async (tx) => {
    // The source's row is locked first: two confirmations of one table are decided one after the other.
    await tx.$queryRaw`SELECT id FROM connections WHERE id = ${row.connectionId} FOR UPDATE`;
    const current = await tx.sourceFile.findUnique({ where: { id }, select: { status: true, bytes: true, shape: true, confirmedAt: true } });
    if (!current) throw notFound('File');
    if (current.status === 'uploading') throw new AppError('conflict', 'The file is still being uploaded: confirm its shape once every byte is here');
    if (current.status === 'replaced') throw new AppError('conflict', 'A newer version of this table has been confirmed; upload this file again as a new version to use it');
    if (fingerprint.split(':')[0] !== String(current.bytes)) {
      throw new AppError('conflict', `The file on the server is ${fingerprint.split(':')[0]} bytes, not the ${current.bytes} it had when it arrived; it was changed — register or upload it again`);
    }
    await assertTableNotRead(tx, row.connectionId, row.tableName, current.status === 'ready' ? `change the shape of "${row.tableName}"` : `replace "${row.tableName}"`);
    const replaced = await tx.sourceFile.updateMany({
      where: { connectionId: row.connectionId, tableName: row.tableName, status: 'ready', NOT: { id } },
      data: { status: 'replaced' },
    });
    const updated = await tx.sourceFile.update({
      where: { id },
      data: { status: 'ready', shape, fingerprint, confirmedAt: new Date() },
      select: sourceFileViewSelect,
    });
    await tx.connection.update({ where: { id: row.connectionId }, data: { updatedAt: new Date() }, select: { id: true } });
    return { file: updated, before: { status: current.status, shape: current.confirmedAt ? current.shape : null, replacedVersions: replaced.count } };
  });
  await recordAudit(actor, 'source_file.confirm', 'source_file', id, before, {
    connectionId: row.connectionId,
    tableName: row.tableName,
    version: file.version,
    status: 'ready',
    shape: { ...shape, columns: shape.columns.map(({ sampleValues: _sampleValues, ...column }) => column) },
  });
  return toSourceFileView(file, actor);
}
