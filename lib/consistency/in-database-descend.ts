import type { CanonicalHashRequest, Connector, KeyRange, KeyTuple, RangeHash } from '../connectors/connector';
import type { CompareInDatabaseOptions, InDatabaseOutcome } from './in-database';
import type { HashPlanDetails } from './in-database-plan';

/**
 * The descent of data-diff: count and hash a range on both sides at once; equal → every
 * row matches; different → split the range at source keys into up to FAN_OUT parts and
 * look at each, until a part holds at most `leafRows` source rows. Those parts are the
 * suspects the caller compares row by row.
 *
 * Depth-first, one range at a time: memory is bounded by the pending parts
 * (FAN_OUT per level), and suspects come out in key order.
 */

/** Parts per split: few levels for large ranges, few wasted queries around a single change. */
export const FAN_OUT = 16;

export interface DescendTables {
  sourceTable: string;
  targetTable: string;
  sourceKeyColumns: string[];
  targetKeyColumns: string[];
  details: HashPlanDetails;
}

export async function descend(
  source: Connector,
  target: Connector,
  tables: DescendTables,
  range: KeyRange,
  options: CompareInDatabaseOptions,
): Promise<InDatabaseOutcome> {
  if (!Number.isInteger(options.leafRows) || options.leafRows < 1) throw new Error('leafRows must be a positive integer');
  const request = (side: 'source' | 'target', r: KeyRange): CanonicalHashRequest => ({
    table: side === 'source' ? tables.sourceTable : tables.targetTable,
    keyColumns: side === 'source' ? tables.sourceKeyColumns : tables.targetKeyColumns,
    columns: tables.details[side],
    encoding: tables.details.encoding,
    range: r,
  });
  const outcome: InDatabaseOutcome = { matched: 0, suspects: [] };
  // A stack of ranges still to look at, the next one last.
  const pending: KeyRange[] = [range];
  while (pending.length > 0) {
    if (await options.shouldStop?.()) {
      // Not looked at: the caller must compare them (or, stopping, drop the whole outcome).
      outcome.suspects.push(...pending.reverse());
      break;
    }
    const current = pending.pop() as KeyRange;
    const [s, t] = await Promise.all([source.hashRangeCanonical(request('source', current)), target.hashRangeCanonical(request('target', current))]);
    if (agree(s, t)) {
      outcome.matched += s.count;
      continue;
    }
    // Small enough to read; or no target rows at all: every source row there is missing,
    // and reading them is the only way to list them.
    if (s.count <= options.leafRows || t.count === 0) {
      outcome.suspects.push(current);
      continue;
    }
    const parts = Math.min(FAN_OUT, Math.ceil(s.count / options.leafRows));
    const points = await source.splitRange(tables.sourceTable, tables.sourceKeyColumns, current, Math.ceil(s.count / parts));
    if (points.length === 0) {
      outcome.suspects.push(current);
      continue;
    }
    pending.push(...subRanges(current, points).reverse());
  }
  return outcome;
}

function agree(s: RangeHash, t: RangeHash): boolean {
  return s.count === t.count && s.hash === t.hash;
}

/** [lower, p1), [p1, p2), …, [pn, upper): the range cut at the given keys (in key order, inside the range). */
export function subRanges(range: KeyRange, points: KeyTuple[]): KeyRange[] {
  const bounds: (KeyTuple | null)[] = [range.lower, ...points, range.upper];
  return bounds.slice(0, -1).map((lower, i) => ({ lower, upper: bounds[i + 1] }));
}
