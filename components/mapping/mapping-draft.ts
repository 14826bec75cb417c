import type { ColumnInfo, TableDetail, TypeFamily } from '@/lib/connectors/connector';
import type { FilterOp, MappingSpec, ScalarValue, Transform, TransformOp } from '@/lib/schemas/mapping-spec';

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

let counter = 0;
export function uid(): string {
  counter += 1;
  return `d${counter.toString(36)}`;
}

// ---- labels ---------------------------------------------------------------------------

export const transformLabels: Record<TransformOp, string> = {
  trim: 'Trim spaces',
  lower: 'Lowercase',
  upper: 'Uppercase',
  collapse_whitespace: 'Collapse whitespace',
  null_if_empty: 'Empty text → null',
  default: 'Default when null',
  constant: 'Constant value',
  cast: 'Convert type (cast)',
  parse_date: 'Parse date / time',
  phone_e164: 'Phone → E.164',
  email: 'Normalize email',
  concat: 'Join sources (concat)',
  split: 'Split and pick a part',
  regex_replace: 'Regex replace',
  value_map: 'Map values',
};

export const transformDescriptions: Record<TransformOp, string> = {
  trim: 'Removes spaces at both ends.',
  lower: 'Converts text to lowercase.',
  upper: 'Converts text to uppercase.',
  collapse_whitespace: 'Turns runs of spaces, tabs and newlines into one space.',
  null_if_empty: 'Empty or blank text becomes null.',
  default: 'Replaces null (not empty text) with a value.',
  constant: 'Ignores the input and always writes this value.',
  cast: 'Converts the value to another type; rows that do not convert fail.',
  parse_date: 'Reads dates written in a known format and time zone.',
  phone_e164: 'Normalizes phone numbers to +CC… (E.164); invalid numbers fail the row.',
  email: 'Trims and lowercases; values that are not email addresses fail the row.',
  concat: 'Joins all sources of the field, skipping nulls and empty values.',
  split: 'Splits the text and keeps one part (0 = first, -1 = last).',
  regex_replace: 'Replaces matches of a regular expression.',
  value_map: 'Translates known values (e.g. legacy codes) into new ones.',
};

export const filterOpLabels: Record<FilterOp, string> = {
  eq: '=',
  neq: '≠',
  lt: '<',
  lte: '≤',
  gt: '>',
  gte: '≥',
  is_null: 'is null',
  not_null: 'is not null',
  like: 'like',
};

// ---- creating ---------------------------------------------------------------------------

export function emptyDraft(source: TableDetail, sourceTable: string, target: TableDetail, targetTable: string): MappingDraft {
  return {
    source: { table: sourceTable, key: [...source.primaryKey], filter: [] },
    target: { table: targetTable, key: [...target.primaryKey] },
    writeMode: 'upsert',
    duplicatePolicy: { mode: 'error', orderBy: '' },
    fields: [],
  };
}

const castTargetFor = (family: TypeFamily | undefined): string =>
  family === 'integer' || family === 'decimal' || family === 'boolean' ? family : family === 'float' ? 'decimal' : 'text';

/** A new transform with sensible starting parameters for the target column. */
export function newTransform(op: TransformOp, target: ColumnInfo | undefined): DraftTransform {
  const id = uid();
  switch (op) {
    case 'default':
    case 'constant':
      return { id, op, value: { text: '', kind: 'auto' } };
    case 'cast':
      return { id, op, to: castTargetFor(target?.family), scale: '' };
    case 'parse_date': {
      const family = target?.family;
      const output = family === 'date' || family === 'timestamp' || family === 'timestamptz' ? family : 'timestamptz';
      return { id, op, formats: [''], timeZone: 'UTC', output };
    }
    case 'phone_e164':
      return { id, op, defaultCountry: '' };
    case 'concat':
      return { id, op, separator: ' ' };
    case 'split':
      return { id, op, separator: ' ', index: '0' };
    case 'regex_replace':
      return { id, op, pattern: '', flags: 'g', replacement: '' };
    case 'value_map':
      return {
        id,
        op,
        rows: [{ id: uid(), from: '', to: { text: '', kind: 'auto' } }],
        caseInsensitive: false,
        trim: true,
        otherwise: 'error',
        otherwiseValue: { text: '', kind: 'auto' },
      };
    default:
      return { id, op };
  }
}

// ---- spec → draft -------------------------------------------------------------------

function scalarToDraft(value: ScalarValue): DraftScalar {
  if (value === null) return { text: '', kind: 'null' };
  if (typeof value === 'boolean') return { text: String(value), kind: 'boolean' };
  if (typeof value === 'number') return { text: String(value), kind: 'number' };
  return { text: value, kind: 'text' };
}

function transformToDraft(transform: Transform): DraftTransform {
  const id = uid();
  switch (transform.op) {
    case 'default':
    case 'constant':
      return { id, op: transform.op, value: scalarToDraft(transform.value) };
    case 'cast':
      return { id, op: 'cast', to: transform.to, scale: transform.scale === undefined ? '' : String(transform.scale) };
    case 'parse_date':
      return {
        id,
        op: 'parse_date',
        formats: transform.formats ?? [transform.format ?? ''],
        timeZone: transform.timeZone,
        output: transform.output,
      };
    case 'phone_e164':
      return { id, op: 'phone_e164', defaultCountry: transform.defaultCountry };
    case 'concat':
      return { id, op: 'concat', separator: transform.separator };
    case 'split':
      return { id, op: 'split', separator: transform.separator, index: String(transform.index) };
    case 'regex_replace':
      return { id, op: 'regex_replace', pattern: transform.pattern, flags: transform.flags, replacement: transform.replacement };
    case 'value_map':
      return {
        id,
        op: 'value_map',
        rows: Object.entries(transform.map).map(([from, to]) => ({ id: uid(), from, to: scalarToDraft(to) })),
        caseInsensitive: transform.caseInsensitive,
        trim: transform.trim,
        otherwise: transform.otherwise.mode,
        otherwiseValue: transform.otherwise.mode === 'default' ? scalarToDraft(transform.otherwise.value) : { text: '', kind: 'auto' },
      };
    default:
      return { id, op: transform.op };
  }
}

export function draftFromSpec(spec: MappingSpec): MappingDraft {
  return {
    source: {
      table: spec.source.table,
      key: [...spec.source.key],
      filter: spec.source.filter.map((filter) => ({
        id: uid(),
        column: filter.column,
        op: filter.op,
        value: filter.value === undefined ? { text: '', kind: 'auto' } : scalarToDraft(filter.value),
      })),
    },
    target: { table: spec.target.table, key: [...spec.target.key] },
    writeMode: spec.writeMode,
    duplicatePolicy: {
      mode: spec.duplicatePolicy.mode,
      orderBy: spec.duplicatePolicy.mode === 'last_wins' ? spec.duplicatePolicy.orderBy : '',
    },
    fields: spec.fields.map((field) => ({
      id: uid(),
      target: field.target,
      sources: [...field.sources],
      transforms: field.transforms.map(transformToDraft),
    })),
  };
}

// ---- draft → spec -------------------------------------------------------------------

const NUMBER_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false, yes: true, no: false };

/**
 * Turns typed text into the value written to the spec. 'auto' follows the column the
 * value ends up in: numbers for numeric columns, true/false for booleans, text otherwise.
 * Text that does not fit the chosen kind is kept as text so the checks can point at it.
 */
export function scalarFromDraft(value: DraftScalar, family: TypeFamily | undefined): ScalarValue {
  const { text, kind } = value;
  if (kind === 'null') return null;
  if (kind === 'text') return text;
  const asNumber = () => (NUMBER_TEXT.test(text) && Number.isFinite(Number(text)) ? Number(text) : text);
  const asBoolean = () => BOOLEAN_WORDS[text.trim().toLowerCase()] ?? text;
  if (kind === 'number') return asNumber();
  if (kind === 'boolean') return asBoolean();
  // auto
  if (family === 'integer' || family === 'float') return asNumber();
  if (family === 'boolean') return asBoolean();
  // decimals stay text: exact digits, and numeric checks accept numeric text
  return text;
}

const numberOrText = (text: string): number | string | undefined => {
  if (text.trim() === '') return undefined;
  return /^\s*[+-]?\d+\s*$/.test(text) ? Number(text) : text;
};

function transformToSpec(transform: DraftTransform, family: TypeFamily | undefined): Record<string, unknown> {
  switch (transform.op) {
    case 'default':
    case 'constant':
      return { op: transform.op, value: scalarFromDraft(transform.value, family) };
    case 'cast': {
      const scale = numberOrText(transform.scale);
      return scale === undefined ? { op: 'cast', to: transform.to } : { op: 'cast', to: transform.to, scale };
    }
    case 'parse_date': {
      const formats = transform.formats.length > 0 ? transform.formats : [''];
      const common = { op: 'parse_date', timeZone: transform.timeZone, output: transform.output };
      return formats.length === 1 ? { ...common, format: formats[0] } : { ...common, formats };
    }
    case 'phone_e164':
      return { op: 'phone_e164', defaultCountry: transform.defaultCountry };
    case 'concat':
      return { op: 'concat', separator: transform.separator };
    case 'split':
      return { op: 'split', separator: transform.separator, index: numberOrText(transform.index) };
    case 'regex_replace':
      return { op: 'regex_replace', pattern: transform.pattern, flags: transform.flags, replacement: transform.replacement };
    case 'value_map': {
      const map: Record<string, ScalarValue> = {};
      for (const row of transform.rows) {
        if (row.from === '' && row.to.text === '' && row.to.kind !== 'null') continue;
        map[row.from] = scalarFromDraft(row.to, family);
      }
      const otherwise =
        transform.otherwise === 'default'
          ? { mode: 'default', value: scalarFromDraft(transform.otherwiseValue, family) }
          : { mode: transform.otherwise };
      return { op: 'value_map', map, caseInsensitive: transform.caseInsensitive, trim: transform.trim, otherwise };
    }
    default:
      return { op: transform.op };
  }
}

export interface TableColumns {
  source?: TableDetail;
  target?: TableDetail;
}

/**
 * The spec as the API expects it (not yet validated: run mappingSpecSchema on it).
 * Field and transform positions are kept, so issue paths index the draft directly.
 */
export function draftToSpecInput(draft: MappingDraft, tables: TableColumns): Record<string, unknown> {
  const targetFamily = (name: string) => tables.target?.columns.find((c) => c.name === name)?.family;
  const sourceFamily = (name: string) => tables.source?.columns.find((c) => c.name === name)?.family;
  return {
    source: {
      table: draft.source.table,
      key: draft.source.key,
      filter: draft.source.filter.map((filter) => {
        const needsValue = filter.op !== 'is_null' && filter.op !== 'not_null';
        const value = needsValue ? scalarFromDraft(filter.value, sourceFamily(filter.column)) : undefined;
        return needsValue ? { column: filter.column, op: filter.op, value: value === null ? undefined : value } : { column: filter.column, op: filter.op };
      }),
    },
    target: { table: draft.target.table, key: draft.target.key },
    writeMode: draft.writeMode,
    duplicatePolicy:
      draft.duplicatePolicy.mode === 'last_wins'
        ? { mode: 'last_wins', orderBy: draft.duplicatePolicy.orderBy }
        : { mode: draft.duplicatePolicy.mode },
    fields: draft.fields.map((field) => ({
      target: field.target,
      sources: field.sources,
      transforms: field.transforms.map((transform) => transformToSpec(transform, targetFamily(field.target))),
    })),
  };
}

// ---- immutable helpers ---------------------------------------------------------------

export type DraftUpdate = (update: (draft: MappingDraft) => MappingDraft) => void;

/** Keeps fields in the target table's column order so positions stay predictable. */
export function upsertField(draft: MappingDraft, targetColumns: readonly ColumnInfo[], target: string, change: (field: DraftField) => DraftField): MappingDraft {
  const existing = draft.fields.find((field) => field.target === target);
  if (existing) {
    return { ...draft, fields: draft.fields.map((field) => (field === existing ? change(field) : field)) };
  }
  const created = change({ id: uid(), target, sources: [], transforms: [] });
  const order = (name: string) => {
    const index = targetColumns.findIndex((column) => column.name === name);
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  };
  const fields = [...draft.fields];
  const at = fields.findIndex((field) => order(field.target) > order(target));
  fields.splice(at < 0 ? fields.length : at, 0, created);
  return { ...draft, fields };
}

export function removeField(draft: MappingDraft, target: string): MappingDraft {
  return { ...draft, fields: draft.fields.filter((field) => field.target !== target) };
}

/** Sets the field's first source; clears the field when nothing is left in it. */
export function setPrimarySource(draft: MappingDraft, targetColumns: readonly ColumnInfo[], target: string, source: string): MappingDraft {
  if (source === '') {
    const field = draft.fields.find((f) => f.target === target);
    if (!field) return draft;
    const rest = field.sources.slice(1);
    if (rest.length === 0 && field.transforms.length === 0) return removeField(draft, target);
    return upsertField(draft, targetColumns, target, (f) => ({ ...f, sources: rest }));
  }
  return upsertField(draft, targetColumns, target, (field) => ({
    ...field,
    sources: [source, ...field.sources.slice(1).filter((s) => s !== source)],
  }));
}

export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length) return [...items];
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}

// ---- suggestions ---------------------------------------------------------------------

export interface TransformHint {
  op: TransformOp;
  reason: string;
}

const isTextLike = (family: TypeFamily | undefined) => family === 'text' || family === 'other';

/** Obvious transforms for a linked field, shown as suggestions; never applied on their own. */
export function suggestTransforms(field: DraftField, target: ColumnInfo | undefined, source: TableDetail | undefined): TransformHint[] {
  if (!target || field.sources.length === 0) return [];
  const has = (op: TransformOp) => field.transforms.some((t) => t.op === op);
  const sourceColumns = field.sources.map((name) => source?.columns.find((c) => c.name === name)).filter((c): c is ColumnInfo => !!c);
  const fromText = sourceColumns.some((c) => isTextLike(c.family));
  const hints: TransformHint[] = [];
  const name = target.name.toLowerCase();
  if (/e[-_]?mail/.test(name) && isTextLike(target.family) && !has('email')) {
    hints.push({ op: 'email', reason: 'looks like an email address column' });
  }
  if (/(phone|mobile|cell|fax|^tel|_tel)/.test(name) && isTextLike(target.family) && !has('phone_e164')) {
    hints.push({ op: 'phone_e164', reason: 'looks like a phone number column' });
  }
  if ((target.family === 'date' || target.family === 'timestamp' || target.family === 'timestamptz') && fromText && !has('parse_date')) {
    hints.push({ op: 'parse_date', reason: `text source into ${target.dataType}` });
  }
  if ((target.family === 'integer' || target.family === 'decimal' || target.family === 'boolean' || target.family === 'float') && fromText && !has('cast') && !has('value_map')) {
    hints.push({ op: 'cast', reason: `text source into ${target.dataType}` });
  }
  if (target.family === 'enum' && !has('value_map') && !has('constant')) {
    hints.push({ op: 'value_map', reason: `only ${(target.enumValues ?? []).slice(0, 5).join(', ')}${(target.enumValues ?? []).length > 5 ? ', …' : ''} are allowed` });
  }
  if (field.sources.length > 1 && isTextLike(target.family) && !has('concat')) {
    hints.push({ op: 'concat', reason: 'several sources: join them instead of taking the first non-null' });
  }
  return hints;
}
