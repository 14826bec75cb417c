import { unreadableOf } from '../connectors/unreadable-row';
import type { ColumnInfo, KeyTuple, Row } from '../connectors/connector';
import { compileMapping, type MappingOptions } from '../mapping/apply-mapping';
import { compileSourceFilter } from '../mapping/source-filter';
import type { MappingSpec } from '../schemas/mapping-spec';
import { hasNullPart, keyOf, keyText } from './key-text';
import type { ErrorRowDraft } from './error-row-draft';

export interface TransformedRow {
  sourceKey: KeyTuple;
  sourceRow: Row;
  /** Target values by target column name. */
  values: Record<string, unknown>;
  /** The target key, as text, for duplicate detection. */
  targetKeyText: string;
}

export interface TransformedBatch {
  /** Source rows that passed the mapping's filters: each lands or becomes an error row. */
  inScope: number;
  rows: TransformedRow[];
  errors: ErrorRowDraft[];
}

/**
 * Maps and validates one batch of source rows. Preview and the real run both call
 * this, so the preview shows exactly the errors the run will record. The source table's
 * columns say how a plain copy spells values for the target (adapt-to-target.ts).
 */
export function makeBatchTransformer(spec: MappingSpec, targetColumns: ColumnInfo[], sourceColumns: readonly ColumnInfo[], options: Pick<MappingOptions, 'trace'> = {}) {
  const apply = compileMapping(spec, targetColumns, { sourceTable: sourceColumns, ...options });
  const inScope = compileSourceFilter(spec.source.filter);
  const sourceKey = spec.source.key;
  const targetKey = spec.target.key;
  return (sourceRows: Row[]): TransformedBatch => {
    const batch: TransformedBatch = { inScope: 0, rows: [], errors: [] };
    for (const sourceRow of sourceRows) {
      // Before the filter: what a record that cannot be read holds cannot be judged.
      const unreadable = unreadableOf(sourceRow);
      if (unreadable) {
        batch.inScope += 1;
        batch.errors.push({ sourceKey: keyOf(sourceRow, sourceKey), sourceRow: unreadable.fields, stage: 'read', field: null, code: unreadable.code, message: unreadable.message });
        continue;
      }
      if (!inScope(sourceRow)) continue;
      batch.inScope += 1;
      const key = keyOf(sourceRow, sourceKey);
      if (hasNullPart(key)) {
        batch.errors.push({ sourceKey: key, sourceRow, stage: 'read', field: sourceKey.join(','), code: 'null_key', message: 'The source key is NULL; the row cannot be identified' });
        continue;
      }
      const result = apply(sourceRow);
      if (!result.ok) {
        // One error row per source row: the first problem, with the others in the message.
        const [first, ...rest] = result.errors;
        const more = rest.length ? ` (also: ${rest.map((e) => `${e.field}: ${e.code}`).join(', ')})` : '';
        batch.errors.push({ sourceKey: key, sourceRow, stage: first.stage, field: first.field, code: first.code, message: first.message + more, allErrors: result.errors });
        continue;
      }
      batch.rows.push({ sourceKey: key, sourceRow, values: result.values, targetKeyText: keyText(keyOf(result.values, targetKey)) });
    }
    return batch;
  };
}
