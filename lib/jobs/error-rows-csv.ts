import { stringify } from 'csv-stringify/sync';
import { iterateErrorRows, type ErrorRowFilter } from './error-rows';

const cell = (value: unknown) => (value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/**
 * The error file of a run: one line per failed source row with the reason, then the
 * source row's own columns, so it can be fixed in a spreadsheet and replayed.
 */
export async function* errorRowsCsv(jobId: string, filter: ErrorRowFilter): AsyncGenerator<string> {
  let sourceColumns: string[] | null = null;
  for await (const row of iterateErrorRows(jobId, filter)) {
    const source = (row.sourceRow ?? {}) as Record<string, unknown>;
    if (!sourceColumns) {
      sourceColumns = Object.keys(source);
      yield stringify([['source_key', 'stage', 'field', 'code', 'message', 'mapping_version', ...sourceColumns]]);
    }
    yield stringify([
      [cell(row.sourceKey), row.stage, row.field ?? '', row.code, row.message, row.mappingVersion ?? '', ...sourceColumns.map((c) => cell(source[c]))],
    ]);
  }
  if (!sourceColumns) yield stringify([['source_key', 'stage', 'field', 'code', 'message', 'mapping_version']]);
}
