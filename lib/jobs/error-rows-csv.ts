import { stringify } from 'csv-stringify/sync';
import { iterateErrorRows, type ErrorRowFilter } from './error-rows';

const cell = (value: unknown) => (value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));

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
 * a spreadsheet and replayed.
 */
export async function* errorRowsCsv(jobId: string, filter: ErrorRowFilter): AsyncGenerator<string> {
  let sourceColumns: string[] | null = null;
  let parts = 1;
  for await (const row of iterateErrorRows(jobId, filter)) {
    const source = (row.sourceRow ?? {}) as Record<string, unknown>;
    if (!sourceColumns) {
      sourceColumns = Object.keys(source);
      parts = Array.isArray(row.sourceKey) ? Math.max(1, row.sourceKey.length) : 1;
      yield stringify([[...keyHeaders(parts), 'stage', 'field', 'code', 'message', 'mapping_version', ...sourceColumns]]);
    }
    yield stringify([
      [...keyCells(row.sourceKey, parts), row.stage, row.field ?? '', row.code, row.message, row.mappingVersion ?? '', ...sourceColumns.map((c) => cell(source[c]))],
    ]);
  }
  if (!sourceColumns) yield stringify([['source_key', 'stage', 'field', 'code', 'message', 'mapping_version']]);
}
