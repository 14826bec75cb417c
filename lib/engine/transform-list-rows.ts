import type { ColumnInfo, KeyTuple, Row } from '../connectors/connector';
import { withKeyColumns } from '../connectors/with-key-columns';
import { MappingErrors, compileListMapping, sourceColumnsOf, targetColumnsOf } from '../mapping/apply-mapping';
import { compileSourceFilter } from '../mapping/source-filter';
import type { MappingSpec } from '../schemas/mapping-spec';
import type { ErrorRowDraft } from './error-row-draft';
import { hasNullPart, keyText, toKeyValue } from './key-text';
import { unreadableOf } from '../connectors/unreadable-row';
import type { TransformedBatch, TransformedRow } from './transform-rows';

/** A mapped row of the copy engine: its write values as an array, the rest derived on demand. */
export interface ListTransformedRow extends TransformedRow {
  /** Target values in targetColumnsOf(spec) order: the row handed to the writer as is. */
  readonly list: unknown[];
}

export interface ListTransformedBatch extends Omit<TransformedBatch, 'rows'> {
  rows: ListTransformedRow[];
}

/**
 * The copy engine's batch transformer: same filters, key check, mapping and error rows as
 * makeBatchTransformer, over source rows read as value arrays (readRangeArrays, columns
 * in sourceReadColumns order). Each kept row is one small object over its value array;
 * its source key, source row object, target values by name and target key text are built
 * only when something asks (error rows, duplicate claims, unique checks), since most rows
 * go straight to COPY and a batch's live objects are what the scavenger copies.
 */
export function makeListBatchTransformer(spec: MappingSpec, targetColumns: ColumnInfo[], sourceTable: readonly ColumnInfo[]) {
  const sourceColumns = sourceReadColumns(spec);
  const apply = compileListMapping(spec, sourceColumns, targetColumns, { sourceTable });
  const filter = compileSourceFilter(spec.source.filter);
  const filtered = spec.source.filter.length > 0;
  const sourceKeyAt = spec.source.key.map((c) => sourceColumns.indexOf(c));
  const targets = targetColumnsOf(spec);
  const targetKeyAt = spec.target.key.map((c) => targets.indexOf(c));
  const sourceKeyField = spec.source.key.join(',');

  const sourceKeyOf = (source: readonly unknown[]): KeyTuple => sourceKeyAt.map((i) => toKeyValue(source[i]));
  const rowOf = (source: readonly unknown[]): Row => {
    const row: Row = {};
    for (let i = 0; i < sourceColumns.length; i++) row[sourceColumns[i]] = source[i];
    return row;
  };

  // Target values by name for the engine's by-name readers: getters over the array.
  class ValuesView {
    constructor(readonly list: unknown[]) {}
  }
  targets.forEach((name, i) => {
    Object.defineProperty(ValuesView.prototype, name, { get(this: ValuesView) { return this.list[i] ?? null; }, enumerable: true });
  });

  class ListRow implements ListTransformedRow {
    constructor(readonly list: unknown[], private readonly source: readonly unknown[]) {}
    get sourceKey(): KeyTuple { return sourceKeyOf(this.source); }
    get sourceRow(): Row { return rowOf(this.source); }
    get values(): Record<string, unknown> { return new ValuesView(this.list) as unknown as Record<string, unknown>; }
    get targetKeyText(): string { return keyText(targetKeyAt.map((i) => toKeyValue(this.list[i] ?? null))); }
  }

  const transform = (sourceRows: unknown[][]): ListTransformedBatch => {
    const batch: ListTransformedBatch = { inScope: 0, rows: [], errors: [] };
    for (const source of sourceRows) {
      // Before the filter: what a record that cannot be read holds cannot be judged.
      const unreadable = unreadableOf(source);
      if (unreadable) {
        batch.inScope += 1;
        batch.errors.push({ sourceKey: sourceKeyOf(source), sourceRow: unreadable.fields, stage: 'read', field: null, code: unreadable.code, message: unreadable.message });
        continue;
      }
      if (filtered && !filter(rowOf(source))) continue;
      batch.inScope += 1;
      if (keyHasNull(source, sourceKeyAt)) {
        const key = sourceKeyOf(source);
        if (hasNullPart(key)) {
          batch.errors.push({ sourceKey: key, sourceRow: rowOf(source), stage: 'read', field: sourceKeyField, code: 'null_key', message: 'The source key is NULL; the row cannot be identified' });
          continue;
        }
      }
      const result = apply(source);
      if (result instanceof MappingErrors) {
        // One error row per source row: the first problem, with the others in the message.
        const [first, ...rest] = result.errors;
        const more = rest.length ? ` (also: ${rest.map((e) => `${e.field}: ${e.code}`).join(', ')})` : '';
        batch.errors.push({ sourceKey: sourceKeyOf(source), sourceRow: rowOf(source), stage: first.stage, field: first.field, code: first.code, message: first.message + more, allErrors: result.errors });
        continue;
      }
      batch.rows.push(new ListRow(result, source));
    }
    return batch;
  };
  return { transform, sourceKeyOf };
}

/** The column order of the copy engine's array reads (keys included, as readRange selects them). */
export function sourceReadColumns(spec: MappingSpec): string[] {
  return withKeyColumns(spec.source.key, sourceColumnsOf(spec));
}

function keyHasNull(source: readonly unknown[], at: readonly number[]): boolean {
  for (const i of at) if (source[i] === null || source[i] === undefined) return true;
  return false;
}
