import { makeReferenceResolver, resolveBatchReferences } from '../engine/resolve-references';
import type { KeyRange, Row } from '../connectors/connector';
import { keyOf, keyText } from '../engine/key-text';
import { makeBatchTransformer } from '../engine/transform-rows';
import { sourceColumnsOf } from '../mapping/apply-mapping';
import { compileSourceFilter } from '../mapping/source-filter';
import { addCounts, classifyMapped, compareWithTarget, emptyCounts, normalizedKeyText, type DiffDraft, type RangeCounts } from './compare-batch';
import { compareInDatabase } from './in-database';
import { makeCorrector, type Corrector } from '../corrections/apply-corrections';
import { recheckCorrectedKeys } from '../corrections/recheck-corrected-keys';
import { claimKeys } from './claim-keys';
import type { RangeOwner } from './range-owner';
import { storeDiffs } from './store-diffs';
import type { VerifyContext } from './verify-context';

/** Rows per read batch of a verify range. */
export const VERIFY_BATCH_ROWS = 2_000;

export interface RangeResult extends RangeCounts {
  rowsRead: number;
  hashMatched: number;
}

/** Returns true when the range should stop (cancel, shutdown, lost lease). */
export type ShouldStop = () => Promise<boolean>;

/**
 * Compares the source rows of one key range, mapped through the job's mapping version,
 * with the target, by key. In aligned mode the in-database hashes first clear the
 * sub-ranges that agree; only suspects are read. A key an analyst corrected is compared
 * with its correction, not the source row (recheck-corrected-keys.ts says why hashes cannot
 * settle it). Returns null when asked to stop.
 */
export async function compareRange(ctx: VerifyContext, owner: RangeOwner, range: KeyRange, shouldStop: ShouldStop): Promise<RangeResult | null> {
  const result: RangeResult = { ...emptyCounts(), rowsRead: 0, hashMatched: 0 };
  let suspects: KeyRange[] = [range];
  const corrector = makeCorrector({ mappingId: ctx.mappingId }, { keyColumns: ctx.spec.source.key });
  if (ctx.mode === 'aligned' && ctx.plan) {
    const outcome = await compareInDatabase(ctx.source, ctx.target, ctx.plan, range, { leafRows: VERIFY_BATCH_ROWS * 5, shouldStop });
    result.hashMatched = outcome.matched;
    result.matched += outcome.matched;
    suspects = outcome.suspects;
  }
  for (const suspect of suspects) {
    const stopped = await compareRows(ctx, owner, suspect, result, shouldStop, corrector);
    if (stopped) return null;
  }
  if (result.hashMatched > 0) await recheckCorrectedKeys(ctx, owner, range, corrector, result);
  return result;
}

async function compareRows(ctx: VerifyContext, owner: RangeOwner, range: KeyRange, result: RangeResult, shouldStop: ShouldStop, corrector: Corrector): Promise<boolean> {
  const { spec } = ctx;
  const transform = makeBatchTransformer(spec, ctx.targetTable.columns, ctx.sourceTable.columns);
  const references = await makeReferenceResolver(spec, ctx.targetTable.columns);
  let found = 0;
  const batches = ctx.source.readRange({
    table: spec.source.table,
    keyColumns: spec.source.key,
    columns: sourceColumnsOf(spec),
    range,
    batchSize: VERIFY_BATCH_ROWS,
  });
  for await (const sourceRows of batches) {
    const batch = await resolveBatchReferences(spec, ctx.targetTable.columns, transform(await corrector.rows(sourceRows)), references);
    result.rowsRead += batch.inScope;
    const { keyed: candidates, diffs } = classifyMapped(batch, spec.target.key, ctx.keyComparers);
    let keyed = candidates;
    if (ctx.mode === 'general') {
      // Keys another range (or an earlier batch) produced already are duplicates.
      const owned = await claimKeys(owner, keyed.map((k) => k.keyText));
      for (const row of keyed) {
        if (!owned.has(row.keyText)) {
          diffs.push({ kind: 'duplicate_key', key: row.key, keyText: keyText(row.key), sourceKey: row.sourceKey, fields: null, sourceRow: row.values, targetRow: null });
        }
      }
      keyed = keyed.filter((row) => owned.has(row.keyText));
    }
    const targetRows = keyed.length ? await ctx.target.readKeys(spec.target.table, spec.target.key, ctx.targetReadColumns, keyed.map((k) => k.key)) : [];
    const byKey = new Map<string, Row>();
    for (const row of targetRows) {
      const text = normalizedKeyText(row, ctx.keyComparers);
      if (text !== null) byKey.set(text, row);
    }
    const compared = compareWithTarget(keyed, byKey, ctx.comparers);
    found += compared.found;
    result.matched += compared.matched;
    const all = [...diffs, ...compared.diffs];
    addCounts(result, all);
    await storeDiffs(owner, all);
    if (await shouldStop()) return true;
  }
  if (ctx.mode === 'aligned') {
    // Same key bounds on both sides: the target has extras here iff it holds more rows than were found.
    const targetCount = await countTargetRange(ctx, range);
    if (targetCount > found) {
      if (await listAlignedExtras(ctx, owner, range, result, shouldStop)) return true;
    }
  }
  return false;
}

async function countTargetRange(ctx: VerifyContext, range: KeyRange): Promise<number> {
  const { target, spec } = ctx;
  const keyIsPrimary = ctx.targetTable.primaryKey.join('\u0000') === spec.target.key.join('\u0000');
  if (keyIsPrimary) return target.count(spec.target.table, range);
  return (await target.hashRange(spec.target.table, spec.target.key, [], range)).count;
}

/**
 * Target rows of an aligned range whose key no in-scope source row has. The target key is
 * a copy of the source key, so each batch of target keys is looked up in the source.
 */
async function listAlignedExtras(ctx: VerifyContext, owner: RangeOwner, range: KeyRange, result: RangeResult, shouldStop: ShouldStop): Promise<boolean> {
  const { spec } = ctx;
  const inScope = compileSourceFilter(spec.source.filter);
  const batches = ctx.target.readRange({ table: spec.target.table, keyColumns: spec.target.key, columns: ctx.targetReadColumns, range, batchSize: VERIFY_BATCH_ROWS });
  for await (const targetRows of batches) {
    const keys = targetRows.map((row) => keyOf(row, spec.target.key));
    const sourceRows = await ctx.source.readKeys(spec.source.table, spec.source.key, sourceColumnsOf(spec), keys);
    const present = new Set<string>();
    const extras: DiffDraft[] = [];
    for (const row of sourceRows) {
      if (!inScope(row)) continue;
      const asTarget = Object.fromEntries(spec.target.key.map((k, i) => [k, row[spec.source.key[i]]]));
      const text = normalizedKeyText(asTarget, ctx.keyComparers);
      if (text !== null) present.add(text);
    }
    for (const [i, row] of targetRows.entries()) {
      const text = normalizedKeyText(row, ctx.keyComparers);
      if (text === null || present.has(text)) continue;
      extras.push({ kind: 'extra', key: keys[i], keyText: keyText(keys[i]), sourceKey: null, fields: null, sourceRow: null, targetRow: row });
    }
    addCounts(result, extras);
    await storeDiffs(owner, extras);
    if (await shouldStop()) return true;
  }
  return false;
}
