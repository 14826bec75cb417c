import type { ConsistencyCounts } from '../schemas/consistency';

/**
 * The consistency score of a run. A record is (key, normalized content): a differing row
 * is one record of the source the target lacks and one of the target the source lacks,
 * so C = |A∩B| / |A∪B| = matched / (matched + 2·different + missing + extra).
 * NULL and duplicate keys are counted beside it, never inside it.
 */
export type ScoreCounts = Pick<ConsistencyCounts, 'matched' | 'different' | 'missing' | 'extra'>;

export function consistencyScore({ matched, different, missing, extra }: ScoreCounts): number {
  const union = matched + 2 * different + missing + extra;
  // Both sides empty: nothing differs.
  return union === 0 ? 1 : matched / union;
}
