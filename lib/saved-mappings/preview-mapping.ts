import { fieldsOf } from '../connectors/classify-connection-error';
import { openConnector } from '../connectors/open-connector';
import type { KeyTuple, KeyValue, Row } from '../connectors/connector';
import { AppError } from '../errors';
import { resolveConnection } from '../saved-connections/resolve-connection';
import { describeTable } from '../saved-connections/browse-schema';
import { makeBatchTransformer, type TransformedRow } from '../engine/transform-rows';
import { keyOf, keyText } from '../engine/key-text';
import { sourceColumnsOf } from '../mapping/apply-mapping';
import { compileSourceFilter } from '../mapping/source-filter';
import type { PreviewMappingRequest } from '../schemas/mapping-request';
import type { MappingPreview, PreviewRowError } from '../schemas/mapping-preview';
import { checkPreviewWrites } from './check-preview-writes';

/** How far a filtered preview may scan looking for matching rows. */
const PREVIEW_SCAN_LIMIT = 20_000;

const printable = (row: Row) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v instanceof Date ? v.toISOString() : v]));

/** Source key order for key parts of one column type (numbers by value, text by code point). */
function compareKeys(a: KeyTuple, b: KeyTuple): number {
  const part = (x: KeyValue, y: KeyValue) => (x === y ? 0 : x === null ? -1 : y === null ? 1 : typeof x === 'number' && typeof y === 'number' ? x - y : String(x) < String(y) ? -1 : 1);
  for (let i = 0; i < a.length; i++) {
    const order = part(a[i], b[i]);
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * Runs the mapping on sample source rows through the engine's own transformer, then writes
 * the mapped rows to the target through the run's write path in a transaction that is
 * always rolled back (check-preview-writes.ts), and reports, per row, the target values
 * and every error the run would record: the mapping's, and the database's.
 */
export async function previewMapping(request: PreviewMappingRequest): Promise<MappingPreview> {
  const { spec } = request;
  const [target, source] = await Promise.all([
    describeTable(request.targetConnectionId, spec.target.table),
    describeTable(request.sourceConnectionId, spec.source.table),
  ]);
  const sourceConnector = openConnector(await resolveConnection(request.sourceConnectionId));
  let sample: Row[] = [];
  try {
    const columns = sourceColumnsOf(spec).filter((c) => source.columns.some((sc) => sc.name === c));
    if (request.keys?.length) {
      sample = await sourceConnector.readKeys(spec.source.table, spec.source.key, columns, request.keys as KeyTuple[]).catch((error: unknown) => {
        // A data exception (SQLSTATE class 22): a key value the key column's type cannot take.
        if (/^22/.test(fieldsOf(error).code ?? '')) {
          const message = `do not fit the type of the source key (${spec.source.key.join(', ')})`;
          throw new AppError('validation_failed', `Invalid body: body.keys ${message}`, [{ path: 'body.keys', message }]);
        }
        throw error;
      });
    } else {
      const matches = compileSourceFilter(spec.source.filter);
      let scanned = 0;
      for await (const batch of sourceConnector.readRange({ table: spec.source.table, keyColumns: spec.source.key, columns, range: { lower: null, upper: null }, batchSize: 500 })) {
        scanned += batch.length;
        sample.push(...batch.filter(matches));
        if (sample.length >= request.limit || scanned >= PREVIEW_SCAN_LIMIT) break;
      }
      sample = sample.slice(0, request.limit);
    }
  } finally {
    await sourceConnector.close();
  }

  const transformed = makeBatchTransformer(spec, target.columns, source.columns)(sample);
  // A run's batch is in source key order, which decides which of two rows keeps a unique
  // value. readRange gives that order (the database's collation); rows read by key come unordered.
  const toWrite = request.keys?.length ? [...transformed.rows].sort((a, b) => compareKeys(a.sourceKey, b.sourceKey)) : transformed.rows;
  const targetConnector = openConnector(await resolveConnection(request.targetConnectionId));
  const writes = await checkPreviewWrites(targetConnector, target, spec, toWrite).finally(() => targetConnector.close());

  const okByKey = new Map<string, TransformedRow>(transformed.rows.map((r) => [keyText(r.sourceKey), r]));
  const errorsByKey = new Map(transformed.errors.map((e) => [keyText(e.sourceKey), e]));
  const writeErrorsByKey = new Map(
    writes.errors.map((e): [string, PreviewRowError] => [keyText(e.sourceKey), { stage: 'write', field: e.field ?? '', code: e.code, message: e.message }]),
  );
  return {
    targetColumns: spec.fields.map((f) => f.target),
    writeCheck: writes.writeCheck,
    rows: sample.map((row) => {
      const key = keyOf(row, spec.source.key);
      const ok = okByKey.get(keyText(key));
      const failed = errorsByKey.get(keyText(key));
      const writeError = writeErrorsByKey.get(keyText(key));
      const errors: PreviewRowError[] = failed
        ? (failed.allErrors as PreviewRowError[] | undefined) ?? [{ stage: failed.stage, field: failed.field ?? '', code: failed.code, message: failed.message }]
        : writeError
          ? [writeError]
          : [];
      return { sourceKey: key, source: printable(row), target: ok ? printable(ok.values) : null, errors };
    }),
  };
}
export type { MappingPreview } from '../schemas/mapping-preview';
