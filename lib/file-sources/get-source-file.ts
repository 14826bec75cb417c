import { prisma } from '../db/client';
import { notFound } from '../errors';
import type { Actor } from '../auth/roles';
import { csvShapeSchema, type CsvShapeReport } from '../connectors/csv/csv-shape';
import { storedFilePath } from '../files/file-storage';
import type { SourceFileView } from '../schemas/file-source';
import { detectSourceFileShape } from './detect-source-file-shape';
import { shapeAsOverrides } from './merge-column-overrides';
import { sourceFileViewSelect, toSourceFileView } from './source-file-view';

/**
 * A file with its shape report. Until it is confirmed the stored shape is what detection
 * found, so detecting again (deterministic) gives it with its confidence notes; once
 * confirmed, the confirmed shape is laid over the file, so the preview is what a job reads.
 * A file still arriving has no report; neither has one gone from the disk.
 */
export async function getSourceFile(id: string, viewer: Pick<Actor, 'role'>): Promise<{ file: SourceFileView; report: CsvShapeReport | null }> {
  const row = await prisma().sourceFile.findUnique({ where: { id }, select: { ...sourceFileViewSelect, shape: true } });
  if (!row) throw notFound('File');
  const file = toSourceFileView(row, viewer);
  if (row.status === 'uploading') return { file, report: null };
  const confirmed = row.confirmedAt ? csvShapeSchema.safeParse(row.shape) : null;
  try {
    const report = await detectSourceFileShape(storedFilePath(row.path), confirmed?.success ? shapeAsOverrides(confirmed.data) : {});
    return { file, report };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EACCES') return { file, report: null };
    throw error;
  }
}
