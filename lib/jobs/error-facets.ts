/**
 * Counts of a job's failing rows by stage, field and code, for triage: which few causes
 * account for most of the failures. Plain functions over the facets the error list returns
 * (one count per stage × field × code), shared by the server and the job page.
 */
export interface ErrorFacet {
  stage: string;
  field: string | null;
  code: string;
  count: number;
}

export type FacetDimension = 'stage' | 'field' | 'code';

export interface FacetSelection {
  stage?: string;
  field?: string;
  code?: string;
}

export interface FacetCount {
  /** null: rows without a field (a read or whole-row failure). */
  value: string | null;
  count: number;
}

const matches = (facet: ErrorFacet, selection: FacetSelection, except: FacetDimension) =>
  (except === 'stage' || selection.stage === undefined || facet.stage === selection.stage) &&
  (except === 'field' || selection.field === undefined || facet.field === selection.field) &&
  (except === 'code' || selection.code === undefined || facet.code === selection.code);

/**
 * Counts per value of one dimension, within what the other dimensions select (choosing
 * stage "write" shows the write failures' fields and codes), most first, then by value.
 */
export function countBy(facets: readonly ErrorFacet[], dimension: FacetDimension, selection: FacetSelection = {}): FacetCount[] {
  const counts = new Map<string | null, number>();
  for (const facet of facets) {
    if (!matches(facet, selection, dimension)) continue;
    counts.set(facet[dimension], (counts.get(facet[dimension]) ?? 0) + facet.count);
  }
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
}

/** The largest stage × field × code groups: "459 rows: write · contact_id · foreign_key_violation". */
export function topCauses(facets: readonly ErrorFacet[], limit = 5): ErrorFacet[] {
  return [...facets].sort((a, b) => b.count - a.count || a.stage.localeCompare(b.stage) || String(a.field).localeCompare(String(b.field)) || a.code.localeCompare(b.code)).slice(0, limit);
}
