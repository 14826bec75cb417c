import type { FilterOp, TransformOp } from '@/lib/schemas/mapping-spec';

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

export type DraftTransform =
  | { id: string; op: SimpleOp }
  | { id: string; op: 'default' | 'constant'; value: DraftScalar }
  | { id: string; op: 'cast'; to: string; scale: string }
  | { id: string; op: 'parse_date'; formats: string[]; timeZone: string; output: string }
  | { id: string; op: 'phone_e164'; defaultCountry: string }
  | { id: string; op: 'concat'; separator: string }
  | { id: string; op: 'split'; separator: string; index: string }
  | { id: string; op: 'regex_replace'; pattern: string; flags: string; replacement: string }
  | {
      id: string;
      op: 'value_map';
      rows: ValueMapRow[];
      caseInsensitive: boolean;
      trim: boolean;
      otherwise: 'error' | 'default' | 'keep';
      otherwiseValue: DraftScalar;
    };

export type DraftTransformOf<Op extends TransformOp> = Extract<DraftTransform, { op: Op }>;

export interface DraftField {
  id: string;
  target: string;
  sources: string[];
  transforms: DraftTransform[];
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
