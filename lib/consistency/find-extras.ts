import type { KeyRange } from '../connectors/connector';
import { keyOf, keyText } from '../engine/key-text';
import { addCounts, emptyCounts, normalizedKeyText, type DiffDraft } from './compare-batch';
import { VERIFY_BATCH_ROWS, type RangeResult, type ShouldStop } from './compare-range';
import { unclaimedKeys } from './claim-keys';
import type { RangeOwner } from './range-owner';
import { storeDiffs } from './store-diffs';
import type { VerifyContext } from './verify-context';

/**
 * The extras pass of a general-mode run, after every compare range: streams the target's
 * keys in one key range (of the target key) and counts those no source row produced,
 * looking them up in the run's key table. Returns null when asked to stop.
 */
export async function findExtras(ctx: VerifyContext, owner: RangeOwner, range: KeyRange, shouldStop: ShouldStop): Promise<RangeResult | null> {
  const { spec } = ctx;
  const result: RangeResult = { ...emptyCounts(), rowsRead: 0, hashMatched: 0 };
  const batches = ctx.target.readRange({ table: spec.target.table, keyColumns: spec.target.key, columns: ctx.targetReadColumns, range, batchSize: VERIFY_BATCH_ROWS });
  for await (const rows of batches) {
    const texts = rows.map((row) => normalizedKeyText(row, ctx.keyComparers));
    const absent = await unclaimedKeys(owner.reportId, texts.filter((t): t is string => t !== null));
    const extras: DiffDraft[] = [];
    for (const [i, row] of rows.entries()) {
      const text = texts[i];
      if (text === null || !absent.has(text)) continue;
      const key = keyOf(row, spec.target.key);
      extras.push({ kind: 'extra', key, keyText: keyText(key), sourceKey: null, fields: null, sourceRow: null, targetRow: row });
    }
    addCounts(result, extras);
    await storeDiffs(owner, extras);
    if (await shouldStop()) return null;
  }
  return result;
}
