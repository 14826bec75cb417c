import type { CsvShape, CsvShapeReport } from '../connectors/csv/csv-shape';
import { detectCsvShape } from '../connectors/csv/detect-csv-shape';
import { AppError } from '../errors';
import type { CsvShapeOverrides } from '../schemas/file-source';
import { mergeColumnOverrides } from './merge-column-overrides';
import { readFileHead } from './read-file-head';

export interface DetectSourceFileShapeOptions {
  /** Where overrides came from in the request: a column override past the detected columns is refused there. Null: ignored. */
  columnsPath?: string | null;
}

/**
 * The shape report of a stored file (its first MiB) under the analyst's choices. Column
 * choices need the detected columns to lay over, so with any the file is detected twice:
 * once without them, then with the merged columns.
 */
export async function detectSourceFileShape(file: string, overrides: CsvShapeOverrides = {}, options: DetectSourceFileShapeOptions = {}): Promise<CsvShapeReport> {
  const { sample, truncated } = await readFileHead(file);
  const { columns: columnOverrides, ...dialect } = overrides;
  const detect = (chosen: Partial<CsvShape>) => {
    try {
      return detectCsvShape(sample, chosen, { truncated });
    } catch (error) {
      // Detection is pure; a throw means settings it cannot work with: the analyst's to change.
      console.error('[file-sources] shape detection failed', { file, overrides: dialect, error: (error as Error).message });
      throw new AppError('validation_failed', 'The file cannot be read with these settings; change the delimiter, quote or escape', [
        { path: options.columnsPath ? options.columnsPath.replace(/\.columns$/, '') : 'shape', message: 'cannot be read with these settings' },
      ]);
    }
  };
  const report = detect(dialect);
  if (!columnOverrides || columnOverrides.length === 0) return report;
  if (options.columnsPath && columnOverrides.length > report.columns.length) {
    const i = report.columns.length;
    throw new AppError('validation_failed', `The file reads as ${report.columns.length} column(s) with these settings; there is no column ${i + 1} to change`, [
      { path: `${options.columnsPath}.${i}`, message: `there are only ${report.columns.length} column(s)` },
    ]);
  }
  return detect({ ...dialect, columns: mergeColumnOverrides(report.columns, columnOverrides) });
}
