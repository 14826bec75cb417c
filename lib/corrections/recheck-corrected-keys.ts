import { resolveBatchReferences } from '../engine/resolve-references';
import type { Connector, KeyRange, KeyTuple, Row } from '../connectors/connector';
import { keyOf, keyText } from '../engine/key-text';
import { makeBatchTransformer } from '../engine/transform-rows';
import { sourceColumnsOf } from '../mapping/apply-mapping';
import { addCounts, classifyMapped, compareWithTarget, normalizedKeyText, type DiffDraft, type RangeCounts } from '../consistency/compare-batch';
import type { RangeOwner } from '../consistency/range-owner';
import { storeDiffs } from '../consistency/store-diffs';
import type { VerifyContext } from '../consistency/verify-context';
import { correctedRow, type Corrector } from './apply-corrections';

/**
 * In-database hashes compare the target with the source's own rows, so a sub-range whose
 * hashes agree settles a corrected key whose target row is the source's, not the
 * correction's. A correction the target does hold never gets that far: its sub-range
 * hashes differently, is read, and the row is compared with the correction there.
 *
 * So after a range's hashes and row reads, the corrections no row read met are compared
 * with the target by row (two key look-ups in all); each one that differs and whose key
 * lies in this range (two index look-ups in the source each) was counted matched by a hash,
 * and becomes its difference instead.
 */
export async function recheckCorrectedKeys(
  ctx: VerifyContext,
  owner: RangeOwner,
  range: KeyRange,
  corrector: Corrector,
  result: RangeCounts & { hashMatched: number },
): Promise<void> {
  const corrections = await corrector.notApplied();
  if (corrections.length === 0) return;
  const { spec } = ctx;
  const byKey = new Map(corrections.map((c) => [c.sourceKeyText, c]));
  const fresh = await ctx.source.readKeys(spec.source.table, spec.source.key, sourceColumnsOf(spec), corrections.map((c) => c.sourceKey));
  const rows = fresh.flatMap((row) => {
    const correction = byKey.get(keyText(keyOf(row, spec.source.key)));
    return correction ? [correctedRow(row, correction, spec.source.key)] : [];
  });
  const mapped = await resolveBatchReferences(spec, ctx.targetTable.columns, makeBatchTransformer(spec, ctx.targetTable.columns, ctx.sourceTable.columns)(rows));
  const { keyed, diffs } = classifyMapped(mapped, spec.target.key, ctx.keyComparers);
  const targetRows = keyed.length ? await ctx.target.readKeys(spec.target.table, spec.target.key, ctx.targetReadColumns, keyed.map((k) => k.key)) : [];
  const targets = new Map<string, Row>();
  for (const row of targetRows) {
    const text = normalizedKeyText(row, ctx.keyComparers);
    if (text !== null) targets.set(text, row);
  }
  const moved: DiffDraft[] = [];
  for (const diff of [...diffs, ...compareWithTarget(keyed, targets, ctx.comparers).diffs]) {
    if (diff.kind !== 'different' && diff.kind !== 'missing') continue;
    if (diff.sourceKey && (await rangeHolds(ctx.source, spec.source.table, spec.source.key, range, diff.sourceKey))) moved.push(diff);
  }
  if (moved.length === 0) return;
  result.matched -= moved.length;
  result.hashMatched -= moved.length;
  addCounts(result, moved);
  await storeDiffs(owner, moved);
}

/**
 * Whether the source has a row with this key inside the range, in the database's own key
 * order: the key itself below the upper bound, then a row from the lower bound up to the
 * key (which, the key existing, is there exactly when the key is at or above the bound).
 */
export async function rangeHolds(source: Connector, table: string, keyColumns: string[], range: KeyRange, key: KeyTuple): Promise<boolean> {
  const any = async (r: KeyRange) => {
    for await (const rows of source.readRange({ table, keyColumns, columns: keyColumns, range: r, through: key, batchSize: 1 })) return rows.length > 0;
    return false;
  };
  if (!(await any({ lower: key, upper: range.upper }))) return false;
  return range.lower === null || any({ lower: range.lower, upper: null });
}
