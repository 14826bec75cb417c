import type { KeyTuple, Row } from '../connectors/connector';
import { keyText, toKeyValue } from '../engine/key-text';
import type { TransformedBatch } from '../engine/transform-rows';
import type { ConsistencyCounts, DiffKindName, FieldDifference } from '../schemas/consistency';
import type { ColumnComparer } from './normalize';

export type DiffKind = DiffKindName;

/** A difference before it is stored (ConsistencyDiff). */
export interface DiffDraft {
  kind: DiffKind;
  key: KeyTuple;
  /** The key as shown and searched (JSON of the key tuple). */
  keyText: string;
  sourceKey: KeyTuple | null;
  fields: FieldDifference[] | null;
  sourceRow: Row | null;
  targetRow: Row | null;
}

export type RangeCounts = ConsistencyCounts;

export const emptyCounts = (): RangeCounts => ({ matched: 0, different: 0, missing: 0, extra: 0, nullKeys: 0, duplicateKeys: 0 });

export function addCounts(into: RangeCounts, diffs: DiffDraft[]): void {
  for (const d of diffs) {
    if (d.kind === 'different') into.different += 1;
    else if (d.kind === 'missing') into.missing += 1;
    else if (d.kind === 'extra') into.extra += 1;
    else if (d.kind === 'null_key') into.nullKeys += 1;
    else into.duplicateKeys += 1;
  }
}

/** Normalized key text of a target-side key: equal texts ⇔ the same record key. Null when a part is NULL. */
export function normalizedKeyText(values: Record<string, unknown>, keyComparers: ColumnComparer[]): string | null {
  const parts = keyComparers.map((c) => c.normalize(values[c.column]));
  return parts.some((p) => p === null) ? null : JSON.stringify(parts);
}

/** A mapped source row with its target key, ready to be looked up in the target. */
export interface KeyedRow {
  sourceKey: KeyTuple;
  values: Record<string, unknown>;
  key: KeyTuple;
  /** Normalized key text: how the two sides are matched. */
  keyText: string;
}

/**
 * First step of a batch: mapping failures become `missing` (they cannot be in the target
 * legitimately) or `null_key` when the failure is a NULL key; mapped rows with a NULL
 * target key become `null_key`; a key repeated within the batch is a `duplicate_key`.
 */
export function classifyMapped(batch: TransformedBatch, targetKey: string[], keyComparers: ColumnComparer[]): { keyed: KeyedRow[]; diffs: DiffDraft[] } {
  const keyColumns = new Set(targetKey);
  const diffs: DiffDraft[] = [];
  for (const error of batch.errors) {
    const nullKey = error.code === 'null_key' || (error.allErrors ?? [error]).some((e) => e.code === 'not_null' && e.field !== null && keyColumns.has(e.field));
    diffs.push({
      kind: nullKey ? 'null_key' : 'missing',
      key: error.sourceKey,
      keyText: keyText(error.sourceKey),
      sourceKey: error.sourceKey,
      fields: null,
      sourceRow: error.sourceRow,
      targetRow: null,
    });
  }
  const keyed: KeyedRow[] = [];
  const seen = new Set<string>();
  for (const row of batch.rows) {
    const key = targetKey.map((k) => toKeyValue(row.values[k]));
    const text = normalizedKeyText(row.values, keyComparers);
    if (text === null) {
      diffs.push({ kind: 'null_key', key, keyText: keyText(key), sourceKey: row.sourceKey, fields: null, sourceRow: row.values, targetRow: null });
    } else if (seen.has(text)) {
      diffs.push({ kind: 'duplicate_key', key, keyText: keyText(key), sourceKey: row.sourceKey, fields: null, sourceRow: row.values, targetRow: null });
    } else {
      seen.add(text);
      keyed.push({ sourceKey: row.sourceKey, values: row.values, key, keyText: text });
    }
  }
  return { keyed, diffs };
}

/** Second step: each keyed row against the target row with its key (or none). */
export function compareWithTarget(keyed: KeyedRow[], targetRows: Map<string, Row>, comparers: ColumnComparer[]): { matched: number; found: number; diffs: DiffDraft[] } {
  let matched = 0;
  let found = 0;
  const diffs: DiffDraft[] = [];
  for (const row of keyed) {
    const target = targetRows.get(row.keyText);
    if (!target) {
      diffs.push({ kind: 'missing', key: row.key, keyText: keyText(row.key), sourceKey: row.sourceKey, fields: null, sourceRow: row.values, targetRow: null });
      continue;
    }
    found += 1;
    const fields: FieldDifference[] = [];
    for (const c of comparers) {
      const source = row.values[c.column];
      const value = target[c.column];
      if (!c.equal(c.normalize(source), c.normalize(value))) fields.push({ field: c.column, source: source ?? null, target: value ?? null });
    }
    if (fields.length === 0) matched += 1;
    else diffs.push({ kind: 'different', key: row.key, keyText: keyText(row.key), sourceKey: row.sourceKey, fields, sourceRow: row.values, targetRow: target });
  }
  return { matched, found, diffs };
}
