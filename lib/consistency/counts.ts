import type { ConsistencyCounts } from '../schemas/consistency';

/** Just the counts of a report, range or view (each carries more fields). */
export const countsOf = (from: ConsistencyCounts): ConsistencyCounts => ({
  matched: from.matched,
  different: from.different,
  missing: from.missing,
  extra: from.extra,
  nullKeys: from.nullKeys,
  duplicateKeys: from.duplicateKeys,
});
