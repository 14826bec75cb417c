import { ReferenceSetupError, resolveBatchReferences } from '../engine/resolve-references';
import { fieldsOf } from '../connectors/classify-connection-error';
import { openConnector } from '../connectors/open-connector';
import type { ColumnInfo, KeyTuple, KeyValue, Row } from '../connectors/connector';
import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { resolveConnection } from '../saved-connections/resolve-connection';
import { describeTable } from '../saved-connections/browse-schema';
import type { ErrorRowDraft } from '../engine/error-row-draft';
import type { TransformedBatch, TransformedRow } from '../engine/transform-rows';
import { keyOf, keyText } from '../engine/key-text';
import { sourceColumnsOf } from '../mapping/apply-mapping';
import { regexIssues } from '../mapping/regex-issues';
import { compileSourceFilter } from '../mapping/source-filter';
import { transformSampleInThread } from '../preview/transform-sample-in-thread';
import type { PreviewMappingRequest } from '../schemas/mapping-request';
import { mappingSpecSchema, type MappingSpec } from '../schemas/mapping-spec';
import type { MappingPreview, PreviewRowError, SavedVersionPreviewRequest } from '../schemas/mapping-preview';
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
 * Previews a spec sent with the request (an editor's draft; needs mappings:write, checked
 * by the route). Patterns the linear-time regex engine cannot run are refused with a 422
 * naming each, as a save would refuse them.
 */
export async function previewMapping(request: PreviewMappingRequest): Promise<MappingPreview> {
  const unsupported = regexIssues(request.spec);
  if (unsupported.length > 0) {
    const issues = unsupported.map((issue) => ({ path: `body.spec.${issue.path}`, message: issue.message }));
    throw new AppError('validation_failed', `Invalid body: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues);
  }
  return previewSpec(request, 'body.spec');
}

/**
 * Previews a saved version, as stored: what a viewer may preview. Its connections and spec
 * are the version's own; a request can only choose which rows.
 */
export async function previewSavedVersion(request: SavedVersionPreviewRequest): Promise<MappingPreview> {
  const row = await prisma().mappingVersion.findUnique({
    where: { mappingId_version: { mappingId: request.mappingId, version: request.version } },
    select: { spec: true, mapping: { select: { sourceConnectionId: true, targetConnectionId: true } } },
  });
  if (!row) throw notFound(`Version ${request.version} of this mapping`);
  const spec = mappingSpecSchema.parse(row.spec);
  const columns = spec.source.key;
  const issues = (request.keys ?? []).flatMap((key, index) =>
    key.length === columns.length ? [] : [{ path: `body.keys.${index}`, message: `must have ${columns.length} value${columns.length === 1 ? '' : 's'}, one per key column (${columns.join(', ')})` }],
  );
  if (issues.length > 0) throw new AppError('validation_failed', `Invalid body: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues);
  return previewSpec({ ...row.mapping, spec, keys: request.keys, limit: request.limit }, null);
}

/**
 * Runs the mapping on sample source rows through the engine's own transformer (in a
 * preview thread, under a time budget: transform-sample-in-thread.ts), then writes the
 * mapped rows to the target through the run's write path in a transaction that is always
 * rolled back (check-preview-writes.ts), and reports, per row, the target values and every
 * error the run would record: the mapping's, and the database's. Reading the sample stays
 * here: it is I/O under the connection's own timeouts.
 */
async function previewSpec(request: Omit<PreviewMappingRequest, 'spec'> & { spec: MappingSpec }, specPath: string | null): Promise<MappingPreview> {
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

  const transformed = await resolvePreviewReferences(spec, target.columns, await transformInThread(spec, target.columns, source.columns, sample, specPath), specPath);
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

/** The batch makeBatchTransformer would give, computed in a preview thread. */
async function transformInThread(
  spec: MappingSpec,
  targetColumns: ColumnInfo[],
  sourceColumns: ColumnInfo[],
  sample: Row[],
  specPath: string | null,
): Promise<Omit<TransformedBatch, 'inScope'>> {
  const outcomes = await transformSampleInThread({ spec, targetColumns, sourceColumns, rows: sample }, specPath);
  const rows: TransformedRow[] = [];
  const errors: ErrorRowDraft[] = [];
  outcomes.forEach((outcome, index) => {
    const sourceRow = sample[index];
    if (outcome.kind === 'mapped') rows.push({ sourceKey: keyOf(sourceRow, spec.source.key), sourceRow, values: outcome.values, targetKeyText: outcome.targetKeyText });
    else if (outcome.kind === 'failed') errors.push({ ...outcome.error, sourceRow });
  });
  return { rows, errors };
}

/** The run's reference resolution (resolve-references.ts); a reference to a mapping that is gone is the request's problem. */
async function resolvePreviewReferences(spec: MappingSpec, targetColumns: ColumnInfo[], batch: Omit<TransformedBatch, 'inScope'>, specPath: string | null) {
  try {
    return await resolveBatchReferences(spec, targetColumns, batch);
  } catch (error) {
    if (!(error instanceof ReferenceSetupError)) throw error;
    const path = specPath ?? 'spec';
    throw new AppError('validation_failed', `Invalid reference: ${error.message}`, [{ path: `${path}.fields`, message: error.message }]);
  }
}
