import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import type { CsvShapeReport } from '../connectors/csv/csv-shape';
import { storedFilePath } from '../files/file-storage';
import type { CsvShapeOverrides } from '../schemas/file-source';
import { detectSourceFileShape } from './detect-source-file-shape';

/** The file read with the analyst's choices: changes nothing, so it can run on every edit. */
export async function previewSourceFileShape(id: string, overrides: CsvShapeOverrides): Promise<CsvShapeReport> {
  const row = await prisma().sourceFile.findUnique({ where: { id }, select: { path: true, status: true } });
  if (!row) throw notFound('File');
  if (row.status === 'uploading') throw new AppError('conflict', 'The file is still being uploaded: its shape can be read once every byte is here');
  try {
    return await detectSourceFileShape(storedFilePath(row.path), overrides, { columnsPath: 'body.overrides.columns' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('conflict', 'The file is no longer on the server; delete this version and upload it again');
    throw error;
  }
}
