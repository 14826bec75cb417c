import type { ColumnInfo, Row, TableDetail } from '../connectors/connector';
import { ABBREVIATIONS, CONCEPT_OF, ENTITY_PREFIXES, WEAK_SYNONYMS } from './crm-synonyms';
import { profileColumn, valueEvidence } from './sample-evidence';
import { familyCompatibility } from './type-compat';

export interface AutoMapProposal {
  target: string;
  source: string;
  /** 0–1; higher is more certain. */
  score: number;
  /** Why, in words, for the mapper's tooltip. */
  reason: string;
}

/** A table as auto-map needs it: its columns and, when known, its keys. */
export type AutoMapTable = Pick<TableDetail, 'columns'> & Partial<Pick<TableDetail, 'primaryKey' | 'uniqueConstraints'>>;

/** Below this a guess is more likely to cost the analyst time than save it. */
const MIN_SCORE = 0.5;
const SIMILARITY_THRESHOLD = 0.88;
/** The source's one-column key onto the target's one-column key, whatever their names. */
const KEY_ONTO_KEY = 0.85;

interface NormalizedName {
  raw: string;
  /** Lowercase, separators removed, abbreviations expanded. */
  compact: string;
  /** Compact form without an entity prefix (cust_email → email), or null. */
  unprefixed: string | null;
  concept: string | null;
  isIdLike: boolean;
}

/**
 * Proposes one source column per target column by name (exact, normalized, CRM synonyms,
 * then string similarity), weighted by type compatibility (a date is never proposed for a
 * boolean) and by what a sample of the source's values shows (dates, numbers, emails,
 * enum values, uniqueness: see sample-evidence.ts). The target's primary key only takes
 * the source's key (its primary key or a unique column), never another column that happens
 * to be called like an id (orders.cust_id is not deals.id); a one-column key goes onto a
 * one-column key even when their names differ (order_no → id). Each source is used at
 * most once, best scores first. Deterministic; ordered like the target columns; targets
 * without a good candidate are left out.
 */
export function autoMap(source: AutoMapTable, target: AutoMapTable, sample: readonly Row[] = []): AutoMapProposal[] {
  const sourceKey = source.primaryKey ?? [];
  const targetKey = new Set(target.primaryKey ?? []);
  // A source whose key is unknown cannot be told apart: its columns are not held back.
  const sourceKeys = new Set([...sourceKey, ...(source.uniqueConstraints ?? []).filter((u) => u.columns.length === 1).map((u) => u.columns[0])]);
  const oneColumnKeys = sourceKey.length === 1 && targetKey.size === 1;
  const sources = source.columns.map((column) => ({
    column,
    name: normalize(column.name),
    profile: sample.length > 0 ? profileColumn(sample.map((row) => row[column.name])) : null,
  }));
  const targets = target.columns.map((column) => ({ column, name: normalize(column.name) }));
  const candidates: (AutoMapProposal & { targetIndex: number; sourceIndex: number })[] = [];
  targets.forEach((t, targetIndex) => {
    const isTargetKey = targetKey.has(t.column.name);
    sources.forEach((s, sourceIndex) => {
      if (isTargetKey && sourceKeys.size > 0 && !sourceKeys.has(s.column.name)) return;
      let match = nameMatch(s.name, t.name);
      if (isTargetKey && oneColumnKeys && sourceKey[0] === s.column.name && (match === null || match.score < KEY_ONTO_KEY)) {
        match = { score: KEY_ONTO_KEY, reason: `the source’s key onto the target’s key (${s.name.raw} → ${t.name.raw})` };
      }
      if (match === null) return;
      const compatibility = familyCompatibility(s.column.family, t.column.family);
      if (compatibility === 'incompatible') return;
      const factor = compatibility === 'needs_conversion' ? 0.9 : compatibility === 'lossy' ? 0.85 : 1;
      // Uniqueness is evidence for the primary key only: repeated values in a column bound for a
      // unique one (duplicate emails) are what the migration will report, not a wrong link.
      const evidence = s.profile ? valueEvidence(s.profile, t.column, t.name.concept, isTargetKey) : null;
      const score = round(Math.min(1, match.score * factor * (evidence?.factor ?? 1)));
      if (score < MIN_SCORE) return;
      const typeNote =
        compatibility === 'needs_conversion'
          ? `; needs a conversion (${s.column.family} → ${t.column.family})`
          : compatibility === 'lossy'
            ? `; may lose detail (${s.column.family} → ${t.column.family})`
            : '';
      const valueNote = evidence?.note ? `; ${evidence.note}` : '';
      candidates.push({ target: t.column.name, source: s.column.name, score, reason: match.reason + typeNote + valueNote, targetIndex, sourceIndex });
    });
  });

  candidates.sort((a, b) => b.score - a.score || a.targetIndex - b.targetIndex || a.sourceIndex - b.sourceIndex);
  const usedSources = new Set<number>();
  const chosen = new Map<number, AutoMapProposal>();
  for (const candidate of candidates) {
    if (chosen.has(candidate.targetIndex) || usedSources.has(candidate.sourceIndex)) continue;
    usedSources.add(candidate.sourceIndex);
    chosen.set(candidate.targetIndex, { target: candidate.target, source: candidate.source, score: candidate.score, reason: candidate.reason });
  }
  return [...chosen.entries()].sort(([a], [b]) => a - b).map(([, proposal]) => proposal);
}

function nameMatch(s: NormalizedName, t: NormalizedName): { score: number; reason: string } | null {
  const pair = `${s.raw} ≈ ${t.raw}`;
  if (s.raw.toLowerCase() === t.raw.toLowerCase()) return { score: 1, reason: 'same name' };
  if (s.compact === t.compact) return { score: 0.95, reason: `same name once normalized (${pair})` };
  if (s.concept !== null && s.concept === t.concept) return { score: 0.9, reason: `synonyms (${pair})` };
  const sBase = s.unprefixed ?? s.compact;
  const tBase = t.unprefixed ?? t.compact;
  if ((s.unprefixed !== null || t.unprefixed !== null) && (sBase === tBase || sameConcept(sBase, tBase))) {
    return { score: 0.8, reason: `same name without the entity prefix (${pair})` };
  }
  if (WEAK_SYNONYMS.some(([a, b]) => (sBase === a && tBase === b) || (sBase === b && tBase === a))) {
    return { score: 0.6, reason: `possible synonyms (${pair})` };
  }
  // An id and a non-id are never the same thing, however similar the words.
  if (s.isIdLike !== t.isIdLike) return null;
  const similarity = jaroWinkler(s.compact, t.compact);
  if (similarity < SIMILARITY_THRESHOLD) return null;
  return { score: 0.7 * similarity, reason: `similar names (${pair}, ${Math.round(similarity * 100)}%)` };
}

function sameConcept(a: string, b: string): boolean {
  const concept = CONCEPT_OF.get(a);
  return concept !== undefined && concept === CONCEPT_OF.get(b);
}

export function normalize(name: string): NormalizedName {
  const tokens = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((token) => token !== '')
    .map((token) => ABBREVIATIONS.get(token) ?? token);
  const compact = tokens.join('');
  const unprefixed = tokens.length > 1 && ENTITY_PREFIXES.has(tokens[0]) ? tokens.slice(1).join('') : null;
  const concept = CONCEPT_OF.get(compact) ?? null;
  const last = tokens[tokens.length - 1] ?? '';
  return { raw: name, compact, unprefixed, concept, isIdLike: concept === 'id' || last === 'id' || last === 'uuid' || last === 'key' };
}

/** Jaro-Winkler similarity in [0, 1]; favours shared prefixes, which column names have. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(b.length, i + window + 1); j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j++;
    if (a[i] !== b[j]) transpositions++;
    j++;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < Math.min(4, a.length, b.length) && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}
