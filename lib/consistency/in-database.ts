import type { Connector, KeyRange } from '../connectors/connector';
import { descend } from './in-database-descend';
import { type HashPlanDetails, type PlanInput, planHashColumns } from './in-database-plan';

/**
 * The fast path of verification (the approach data-diff uses): both databases compute a
 * count and an order-independent hash of the normalized mapped content per key range,
 * and only ranges whose count or hash differ are compared row by row.
 *
 * It is only sound when every compared column is a plain copy or cast (or a MariaDB SET
 * split into its members) and both sides agree on which keys a range holds;
 * `planInDatabaseHash` says when. Its canonical forms
 * may be stricter than the row-by-row comparison (a false "differs" costs time), never
 * looser (that would hide a difference).
 */

/** JSON-serializable: stored with the verify job and handed to every range. */
export interface InDatabasePlan {
  sourceTable: string;
  targetTable: string;
  sourceKeyColumns: string[];
  targetKeyColumns: string[];
  /** Everything else the two hash queries need; opaque to callers. */
  details: unknown;
}

export type InDatabaseEligibility = { ok: true; plan: InDatabasePlan } | { ok: false; reason: string };

/** The mapping, both engines, both tables and the run's settings (the same input the column planner takes). */
export type PlanInDatabaseInput = PlanInput;

/** Sound only for plain copies and casts, with both sides agreeing on key order (see in-database-plan.ts). */
export function planInDatabaseHash(input: PlanInDatabaseInput): InDatabaseEligibility {
  const planned = planHashColumns(input);
  if (!planned.ok) return planned;
  return {
    ok: true,
    plan: {
      sourceTable: input.spec.source.table,
      targetTable: input.spec.target.table,
      sourceKeyColumns: input.spec.source.key,
      targetKeyColumns: input.spec.target.key,
      details: planned.details,
    },
  };
}

export interface InDatabaseOutcome {
  /** Rows in sub-ranges whose count and hash agree on both sides: matched without reading them. */
  matched: number;
  /** Sub-ranges (about `leafRows` source rows or fewer) whose count or hash differ: compare them row by row. */
  suspects: KeyRange[];
}

export interface CompareInDatabaseOptions {
  /** Stop descending below this many rows; the caller compares such ranges row by row. */
  leafRows: number;
  /** Checked between queries: cooperative cancel. */
  shouldStop?: () => boolean | Promise<boolean>;
}

/**
 * Counts and hashes `range` on both sides (in parallel) and descends into the parts that
 * differ. Suspects are half-open key ranges inside `range`, in key order; with
 * `shouldStop` true the ranges not yet looked at are returned as suspects too.
 */
export async function compareInDatabase(
  source: Connector,
  target: Connector,
  plan: InDatabasePlan,
  range: KeyRange,
  options: CompareInDatabaseOptions,
): Promise<InDatabaseOutcome> {
  const details = plan.details as HashPlanDetails;
  return descend(source, target, { ...plan, details }, range, options);
}
