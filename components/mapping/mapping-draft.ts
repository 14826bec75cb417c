import type { FailurePolicy, FieldReference, FilterOp, TransformOp } from '@/lib/schemas/mapping-spec';

/**
 * The editor's working copy of a mapping. It mirrors MappingSpec one to one (same field
 * and transform order, so issue paths such as "fields.2.transforms.0.format" point at
 * the same item in both) but keeps what the analyst types as text until it is turned
 * into a spec, and gives list items stable ids for React keys.
 */

export type ScalarKind = 'auto' | 'text' | 'number' | 'boolean' | 'null';
export interface DraftScalar {
  text: string;
  kind: ScalarKind;
}

export interface ValueMapRow {
  id: string;
  from: string;
  to: DraftScalar;
}

export type SimpleOp = 'trim' | 'lower' | 'upper' | 'collapse_whitespace' | 'null_if_empty' | 'email';

/** Transforms that can fail on a value, and so carry an "on failure" choice (absent: reject). */
export const failingOps = ['cast', 'parse_date', 'phone_e164', 'email'] as const satisfies readonly TransformOp[];
export type FailingOp = (typeof failingOps)[number];
export const canFail = (op: TransformOp): op is FailingOp => (failingOps as readonly TransformOp[]).includes(op);

export type DraftTransform = (
  | { id: string; op: SimpleOp }
  | { id: string; op: 'default' | 'constant'; value: DraftScalar }
  | { id: string; op: 'cast'; to: string; scale: string }
  | { id: string; op: 'parse_date'; formats: string[]; timeZone: string; output: string }
  /** countryColumn: a source column with each row's country, '' for none. */
  | { id: string; op: 'phone_e164'; defaultCountry: string; countryColumn: string }
  | { id: string; op: 'concat'; separator: string }
  /** `list`: keep every part (a list for an array column) instead of the part at `index`. */
  | { id: string; op: 'split'; separator: string; list: boolean; index: string; trim: boolean; dropEmpty: boolean }
  | { id: string; op: 'regex_replace'; pattern: string; flags: string; replacement: string }
  | {
      id: string;
      op: 'value_map';
      rows: ValueMapRow[];
      caseInsensitive: boolean;
      trim: boolean;
      otherwise: 'error' | 'default' | 'keep';
      otherwiseValue: DraftScalar;
    }
) & {
  /** Only on failingOps; absent means reject. */
  onFailure?: FailurePolicy;
};

export type DraftTransformOf<Op extends TransformOp> = Extract<DraftTransform, { op: Op }>;

export interface DraftField {
  id: string;
  target: string;
  sources: string[];
  transforms: DraftTransform[];
  /** The field is another mapping's target id for the record its sources point to (no transforms then). */
  reference?: FieldReference;
}

export interface DraftFilter {
  id: string;
  column: string;
  op: FilterOp;
  value: DraftScalar;
}

export interface MappingDraft {
  source: { table: string; key: string[]; filter: DraftFilter[] };
  target: { table: string; key: string[] };
  writeMode: 'upsert' | 'insert' | 'update';
  duplicatePolicy: { mode: 'error' | 'first_wins' | 'last_wins'; orderBy: string };
  fields: DraftField[];
}

/** Stable ids for React keys; unique within this page load, never saved. */
let counter = 0;
export function uid(): string {
  counter += 1;
  return `d${counter.toString(36)}`;
}

/** How editor parts change the draft: always through a function of the latest draft. */
export type DraftUpdate = (update: (draft: MappingDraft) => MappingDraft) => void;
