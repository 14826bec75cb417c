import type { CanonicalHashRequest, Connector, KeyRange, KeyTuple, Row } from '../connectors/connector';
import { withKeyColumns } from '../connectors/with-key-columns';
import { FAN_OUT, subRanges } from '../consistency/in-database-descend';
import type { HashPlanDetails } from '../consistency/in-database-plan';
import { keyOf, toKeyValue } from '../engine/key-text';
import type { RowPredicate } from '../mapping/source-filter';

/**
 * The target keys whose source row is gone: the search behind a cursor sync's key
 * reconciliation (reconcile-keys.ts). Only for a target key that is a copy of the source
 * key, so a target key is also the source key to look up.
 *
 * - `descend` (both databases order the key alike, no source filter): the data-diff
 *   descent on key columns only. Both sides count and hash a key range; ranges that agree
 *   hold the same keys and are skipped; the others are split at source keys until a part
 *   holds at most `leafRows` source rows, and only such parts are read.
 * - `scan` (a source filter, or keys ordered differently by the two databases): the
 *   target's keys are read in order, all of them.
 * Either way the target keys read are looked up in the source by key, a batch at a time,
 * and those with no source row, a row out of the mapping's scope or a soft-deleted one are
 * yielded. Memory holds a batch of keys and the pending ranges (FAN_OUT per level), never
 * a side's key set.
 */

export type GoneKeysSearch = { kind: 'descend'; details: HashPlanDetails } | { kind: 'scan' };

export interface GoneKeysInput {
  source: Connector;
  target: Connector;
  sourceTable: string;
  targetTable: string;
  sourceKey: string[];
  targetKey: string[];
  search: GoneKeysSearch;
  /** The mapping's source filters as a predicate, and the columns it reads. */
  inScope: RowPredicate;
  scopeColumns: string[];
  /** A source column saying the row is deleted (not null, not false, not 0). */
  softDeleteColumn: string | null;
  /** With deletions marked: the target column set on rows already marked (they are left out). */
  markColumn: string | null;
  /** Target keys read and looked up per batch. */
  batchRows: number;
  /** The descent stops splitting below this many source rows. */
  leafRows: number;
  /** Counted as the search goes, for the sync's log. */
  stats: GoneKeysStats;
}

export interface GoneKeysStats {
  rangesHashed: number;
  targetKeysRead: number;
}

export type GoneKeysEvent =
  /** Between ranges and between batches of keys: where the caller checks for a stop (and keeps its lease). */
  | { type: 'between' }
  | { type: 'gone'; keys: KeyTuple[] };

/** Thrown when the source answers a key lookup with keys the target's do not match (types or collations differ): nothing can be concluded. */
export class KeyMismatchError extends Error {}

export async function* findGoneKeys(input: GoneKeysInput): AsyncGenerator<GoneKeysEvent> {
  if (input.search.kind === 'scan') {
    yield { type: 'between' };
    yield* goneInTargetRange(input, { lower: null, upper: null });
    return;
  }
  const { details } = input.search;
  const request = (side: 'source' | 'target', range: KeyRange): CanonicalHashRequest => ({
    table: side === 'source' ? input.sourceTable : input.targetTable,
    keyColumns: side === 'source' ? input.sourceKey : input.targetKey,
    columns: details[side],
    encoding: details.encoding,
    range,
  });
  // Depth first, the next range last.
  const pending: KeyRange[] = [{ lower: null, upper: null }];
  while (pending.length > 0) {
    yield { type: 'between' };
    const range = pending.pop() as KeyRange;
    const [s, t] = await Promise.all([input.source.hashRangeCanonical(request('source', range)), input.target.hashRangeCanonical(request('target', range))]);
    input.stats.rangesHashed += 1;
    // Same keys on both sides, or no target row to lose.
    if ((s.count === t.count && s.hash === t.hash) || t.count === 0) continue;
    if (s.count > input.leafRows) {
      const parts = Math.min(FAN_OUT, Math.ceil(s.count / input.leafRows));
      const points = await input.source.splitRange(input.sourceTable, input.sourceKey, range, Math.ceil(s.count / parts));
      if (points.length > 0) {
        pending.push(...subRanges(range, points).reverse());
        continue;
      }
    }
    yield* goneInTargetRange(input, range);
  }
}

/** The target's keys in `range`, batch by batch, checked against the source. */
async function* goneInTargetRange(input: GoneKeysInput, range: KeyRange): AsyncGenerator<GoneKeysEvent> {
  const columns = input.markColumn ? [input.markColumn] : [];
  const read = { table: input.targetTable, keyColumns: input.targetKey, columns, range, batchSize: input.batchRows };
  const selected = withKeyColumns(input.targetKey, columns);
  const keyAt = input.targetKey.map((c) => selected.indexOf(c));
  const markAt = input.markColumn ? selected.indexOf(input.markColumn) : -1;
  for await (const rows of input.target.readRangeArrays(read)) {
    input.stats.targetKeysRead += rows.length;
    const keys: KeyTuple[] = [];
    for (const row of rows) {
      // Already marked: its deletion was applied before.
      if (markAt >= 0 && isSet(row[markAt])) continue;
      keys.push(keyAt.map((i) => toKeyValue(row[i])));
    }
    const gone = keys.length ? await absentInSource(input, keys) : [];
    if (gone.length) yield { type: 'gone', keys: gone };
    yield { type: 'between' };
  }
}

/** Of these keys (target values of the source key), those with no source row in scope. */
async function absentInSource(input: GoneKeysInput, keys: KeyTuple[]): Promise<KeyTuple[]> {
  const extra = [...input.scopeColumns, ...(input.softDeleteColumn ? [input.softDeleteColumn] : [])];
  const columns = withKeyColumns(input.sourceKey, extra);
  const asked = new Map(keys.map((k) => [matchText(k), k]));
  const present = new Set<string>();
  for (const row of await input.source.readKeys(input.sourceTable, input.sourceKey, columns, keys)) {
    const text = matchText(keyOf(row, input.sourceKey));
    if (!asked.has(text)) {
      throw new KeyMismatchError(`the source answered key ${JSON.stringify(keyOf(row, input.sourceKey))}, which matches none of the target keys asked for`);
    }
    if (input.inScope(row) && !isSoftDeleted(row, input.softDeleteColumn)) present.add(text);
  }
  return [...asked].filter(([text]) => !present.has(text)).map(([, key]) => key);
}

/** Key parts compared across drivers: an integer may come as a number from one and as digits from the other. */
function matchText(key: KeyTuple): string {
  return JSON.stringify(key.map((part) => (typeof part === 'number' ? String(part) : part)));
}

/** Apply-changes' rule for a soft-delete column: set unless null, false or 0. */
function isSoftDeleted(row: Row, column: string | null): boolean {
  if (!column) return false;
  return isSet(row[column]);
}

function isSet(value: unknown): boolean {
  return !(value === null || value === undefined || value === false || value === 0 || value === '0');
}
