import { csvCell as cell, csvRows } from '../csv/csv-rows';
import { iterateErrorRows, type ErrorRowFilter } from './error-rows';

/** The key's header: `source_key`, or one column per part of a composite key (`source_key_1` …). */
export const keyHeaders = (parts: number) => (parts <= 1 ? ['source_key'] : Array.from({ length: parts }, (_, i) => `source_key_${i + 1}`));

/** A key as plain cells, one per part (103, not [103]; EU and ORD-7, not ["EU","ORD-7"]). */
export function keyCells(sourceKey: unknown, parts: number): string[] {
  const values = Array.isArray(sourceKey) ? sourceKey : [sourceKey];
  return Array.from({ length: Math.max(1, parts) }, (_, i) => cell(values[i]));
}

/**
 * The error file of a run, in source-key order: one line per failed source row with its key
 * as plain values and the reason, then the source row's own columns, so it can be fixed in
 * a spreadsheet and replayed. Cells that could start a formula are neutralised (csvRows).
 */
export async function* errorRowsCsv(jobId: string, filter: ErrorRowFilter): AsyncGenerator<string> {
  let sourceColumns: string[] | null = null;
  let parts = 1;
  for await (const row of iterateErrorRows(jobId, filter)) {
    const source = (row.sourceRow ?? {}) as Record<string, unknown>;
    if (!sourceColumns) {
      sourceColumns = Object.keys(source);
      parts = Array.isArray(row.sourceKey) ? Math.max(1, row.sourceKey.length) : 1;
      yield csvRows([[...keyHeaders(parts), 'stage', 'field', 'code', 'message', 'mapping_version', ...sourceColumns]]);
    }
    yield csvRows([[...keyCells(row.sourceKey, parts), row.stage, row.field, row.code, row.message, row.mappingVersion, ...sourceColumns.map((c) => source[c])]]);
  }
  if (!sourceColumns) yield csvRows([['source_key', 'stage', 'field', 'code', 'message', 'mapping_version']]);
}
