import type { AutoMapProposal, AutoMapTable } from './auto-map';

/**
 * The target key (what upserts conflict on, MappingSpec.target.key) for auto-map's
 * proposals: the target's primary key when every column of it is proposed; otherwise
 * (the target generates its ids, so nothing is mapped onto them) the smallest unique
 * constraint fed by exactly the source's key as it is, such as legacy_id, so a re-run
 * finds the rows it wrote. null when neither exists: the analyst must choose.
 */
export function proposeTargetKey(source: AutoMapTable, target: AutoMapTable, proposals: readonly AutoMapProposal[]): string[] | null {
  const byTarget = new Map(proposals.map((proposal) => [proposal.target, proposal]));
  const primaryKey = target.primaryKey ?? [];
  if (primaryKey.length > 0 && primaryKey.every((column) => byTarget.has(column))) return primaryKey;
  const sourceKey = source.primaryKey ?? [];
  if (sourceKey.length === 0) return null;
  const fedBySourceKey = (columns: string[]) => {
    // A reference holds the parent's id, not this row's key.
    const sources = columns.map((column) => byTarget.get(column)).map((p) => (p && !p.reference ? p.source : null));
    return sources.every((s) => s !== null && sourceKey.includes(s)) && sourceKey.every((key) => sources.includes(key));
  };
  const unique = [...(target.uniqueConstraints ?? [])]
    .filter((constraint) => constraint.columns.length > 0 && fedBySourceKey(constraint.columns))
    .sort((a, b) => a.columns.length - b.columns.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return unique[0]?.columns ?? null;
}
