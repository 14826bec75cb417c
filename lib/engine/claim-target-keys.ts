import { metadataPool } from './metadata-pool';
import type { MappingSpec } from '../schemas/mapping-spec';
import { keyText, toKeyValue } from './key-text';
import type { TransformedRow } from './transform-rows';
import type { ErrorRowDraft } from './error-row-draft';

/**
 * Duplicates are only possible when the target key is not copied unchanged from source
 * columns whose values no two rows share: the source key, or a set the source vouches for
 * (Connector.distinctColumns: an export sorted by its id). A reference is no plain copy.
 */
export function duplicatesPossible(spec: MappingSpec, distinctSets: readonly string[][] = []): boolean {
  const copied = new Set<string>();
  for (const target of spec.target.key) {
    const field = spec.fields.find((f) => f.target === target);
    if (!field || field.sources.length !== 1 || field.transforms.length > 0 || field.reference !== undefined) return true;
    copied.add(field.sources[0]);
  }
  return ![spec.source.key, ...distinctSets].some((set) => set.length > 0 && set.every((column) => copied.has(column)));
}

export interface DuplicateOutcome {
  /** Rows that own their target key in this run and should be written. */
  winners: TransformedRow[];
  /** Rows that lost: error rows under the `error` policy, skipped otherwise. */
  losers: ErrorRowDraft[];
  duplicates: number;
}

/**
 * Claims each row's target key for this job in PostgreSQL, so chunks running on
 * different workers see each other's keys. A retried batch re-claims its own keys
 * (same source key), so a crash never turns a row into its own duplicate.
 */
export async function claimTargetKeys(jobId: string, spec: MappingSpec, rows: TransformedRow[]): Promise<DuplicateOutcome> {
  const policy = spec.duplicatePolicy;
  // Within the batch first: rows are in source key order.
  const byKey = new Map<string, TransformedRow>();
  const losers: TransformedRow[] = [];
  const orderOf = (row: TransformedRow) => (policy.mode === 'last_wins' ? toKeyValue(row.sourceRow[policy.orderBy]) : null);
  for (const row of rows) {
    const held = byKey.get(row.targetKeyText);
    if (!held) byKey.set(row.targetKeyText, row);
    else if (policy.mode === 'last_wins' && compareOrder(orderOf(row), orderOf(held)) > 0) {
      losers.push(held);
      byKey.set(row.targetKeyText, row);
    } else losers.push(row);
  }
  const candidates = [...byKey.values()];
  const refused = new Set<string>();
  if (candidates.length > 0) {
    const keys = candidates.map((r) => r.targetKeyText);
    const sources = candidates.map((r) => keyText(r.sourceKey));
    const orders = policy.mode === 'last_wins' ? candidates.map((r) => JSON.stringify(orderOf(r))) : null;
    const notClaimed = await claim(jobId, keys, sources, orders);
    for (const row of notClaimed) refused.add(row.key_text);
  }
  const winners = refused.size === 0 ? candidates : candidates.filter((r) => !refused.has(r.targetKeyText));
  if (refused.size > 0) losers.push(...candidates.filter((r) => refused.has(r.targetKeyText)));
  return {
    winners,
    duplicates: losers.length,
    losers:
      policy.mode === 'error'
        ? losers.map((r) => ({
            sourceKey: r.sourceKey,
            sourceRow: r.sourceRow,
            stage: 'validate' as const,
            field: spec.target.key.join(','),
            code: 'duplicate_key',
            message: `Another source row maps to the same target key ${r.targetKeyText}`,
          }))
        : [],
  };
}

/** Jobs whose claims met a key already taken in this process: they claim with ON CONFLICT from then on. */
const conflicted = new Set<string>();

/**
 * Claims the keys and returns those it could not take. Through the plain pool, as the
 * checkpoint: Prisma's query layer spent more CPU on a batch's arrays than the database
 * spent on the insert. Usually every key is free (no duplicates, no retried batch), and a
 * plain INSERT costs the database about a third less than INSERT … ON CONFLICT (which
 * writes a speculative insertion and its confirmation for every row): it goes first, and
 * the first unique violation switches the job to ON CONFLICT in this process. The failed
 * insert is one statement in autocommit, so nothing of it stays.
 */
async function claim(jobId: string, keys: string[], sources: string[], orders: string[] | null): Promise<{ key_text: string }[]> {
  const params = orders ? [jobId, keys, sources, orders] : [jobId, keys, sources];
  if (!conflicted.has(jobId)) {
    try {
      await metadataPool().query(orders ? INSERT_ORDERED_SQL : INSERT_SQL, params);
      return [];
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      if (conflicted.size >= 1000) conflicted.clear();
      conflicted.add(jobId);
    }
  }
  return (await metadataPool().query<{ key_text: string }>(orders ? CLAIM_ORDERED_SQL : CLAIM_SQL, params)).rows;
}

const UNIQUE_VIOLATION = '23505';

const INSERT_SQL = `
  INSERT INTO run_keys (job_no, key_text, source_key_text)
  SELECT (SELECT job_no FROM jobs WHERE id = $1), k, s FROM unnest($2::text[], $3::text[]) AS t(k, s)`;

const INSERT_ORDERED_SQL = `
  INSERT INTO run_keys (job_no, key_text, source_key_text, order_value)
  SELECT (SELECT job_no FROM jobs WHERE id = $1), k, s, o::jsonb FROM unnest($2::text[], $3::text[], $4::text[]) AS t(k, s, o)`;

/**
 * The first claim of a key wins; a retried batch takes its own claims again (same source
 * key). Only the keys not claimed come back (usually none), not the thousands that were.
 */
const CLAIM_SQL = `
  WITH claimed AS (
    INSERT INTO run_keys (job_no, key_text, source_key_text)
    SELECT (SELECT job_no FROM jobs WHERE id = $1), k, s FROM unnest($2::text[], $3::text[]) AS t(k, s)
    ON CONFLICT (job_no, key_text) DO UPDATE
      SET source_key_text = EXCLUDED.source_key_text
      WHERE run_keys.source_key_text = EXCLUDED.source_key_text
    RETURNING key_text
  )
  SELECT k AS key_text FROM unnest($2::text[]) AS k WHERE NOT EXISTS (SELECT 1 FROM claimed c WHERE c.key_text = k)`;

/** `last_wins`: a later row by the ordering column takes the key over. */
const CLAIM_ORDERED_SQL = `
  WITH claimed AS (
    INSERT INTO run_keys (job_no, key_text, source_key_text, order_value)
    SELECT (SELECT job_no FROM jobs WHERE id = $1), k, s, o::jsonb FROM unnest($2::text[], $3::text[], $4::text[]) AS t(k, s, o)
    ON CONFLICT (job_no, key_text) DO UPDATE
      SET source_key_text = EXCLUDED.source_key_text, order_value = EXCLUDED.order_value
      WHERE run_keys.source_key_text = EXCLUDED.source_key_text
         OR EXCLUDED.order_value > run_keys.order_value
    RETURNING key_text
  )
  SELECT k AS key_text FROM unnest($2::text[]) AS k WHERE NOT EXISTS (SELECT 1 FROM claimed c WHERE c.key_text = k)`;

function compareOrder(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}
