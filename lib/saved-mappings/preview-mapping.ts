import { openConnector } from '../connectors/open-connector';
import type { KeyTuple, Row } from '../connectors/connector';
import { resolveConnection } from '../saved-connections/resolve-connection';
import { describeTable } from '../saved-connections/browse-schema';
import { makeBatchTransformer } from '../engine/transform-rows';
import { keyOf, keyText } from '../engine/key-text';
import { sourceColumnsOf } from '../mapping/apply-mapping';
import { compileSourceFilter } from '../mapping/source-filter';
import type { PreviewMappingRequest } from '../schemas/mapping-request';

/** How far a filtered preview may scan looking for matching rows. */
const PREVIEW_SCAN_LIMIT = 20_000;

const printable = (row: Row) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v instanceof Date ? v.toISOString() : v]));

/**
 * Runs the mapping on sample source rows through the engine's own transformer and
 * reports, per row, the target values or every field error the run would record.
 */
export async function previewMapping(request: PreviewMappingRequest) {
  const { spec } = request;
  const [target, source] = await Promise.all([
    describeTable(request.targetConnectionId, spec.target.table),
    describeTable(request.sourceConnectionId, spec.source.table),
  ]);
  const connector = openConnector(await resolveConnection(request.sourceConnectionId));
  try {
    const columns = sourceColumnsOf(spec).filter((c) => source.columns.some((sc) => sc.name === c));
    let sample: Row[] = [];
    if (request.keys?.length) {
      sample = await connector.readKeys(spec.source.table, spec.source.key, columns, request.keys as KeyTuple[]);
    } else {
      const matches = compileSourceFilter(spec.source.filter);
      let scanned = 0;
      for await (const batch of connector.readRange({ table: spec.source.table, keyColumns: spec.source.key, columns, range: { lower: null, upper: null }, batchSize: 500 })) {
        scanned += batch.length;
        sample.push(...batch.filter(matches));
        if (sample.length >= request.limit || scanned >= PREVIEW_SCAN_LIMIT) break;
      }
      sample = sample.slice(0, request.limit);
    }
    const transformed = makeBatchTransformer(spec, target.columns)(sample);
    const okByKey = new Map(transformed.rows.map((r) => [keyText(r.sourceKey), r]));
    const errorsByKey = new Map(transformed.errors.map((e) => [keyText(e.sourceKey), e]));
    return {
      targetColumns: spec.fields.map((f) => f.target),
      rows: sample.map((row) => {
        const key = keyOf(row, spec.source.key);
        const ok = okByKey.get(keyText(key));
        const failed = errorsByKey.get(keyText(key));
        return {
          sourceKey: key,
          source: printable(row),
          target: ok ? printable(ok.values) : null,
          errors: failed ? failed.allErrors ?? [{ stage: failed.stage, field: failed.field ?? '', code: failed.code, message: failed.message }] : [],
        };
      }),
    };
  } finally {
    await connector.close();
  }
}
export type MappingPreview = Awaited<ReturnType<typeof previewMapping>>;
