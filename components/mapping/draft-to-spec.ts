import type { TableDetail, TypeFamily } from '@/lib/connectors/connector';
import type { ScalarValue } from '@/lib/schemas/mapping-spec';
import { canFail, type DraftScalar, type DraftTransform, type MappingDraft } from './mapping-draft';

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
  const spec = transformParamsToSpec(transform, family);
  // Reject is the default: left out, so specs saved before the choice existed read the same.
  return canFail(transform.op) && transform.onFailure && transform.onFailure !== 'reject' ? { ...spec, onFailure: transform.onFailure } : spec;
}

function transformParamsToSpec(transform: DraftTransform, family: TypeFamily | undefined): Record<string, unknown> {
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
    case 'phone_e164': {
      // With a country column the default country may stay empty: it is then left out.
      if (transform.countryColumn === '') return { op: 'phone_e164', defaultCountry: transform.defaultCountry };
      const withColumn = { op: 'phone_e164', countryColumn: transform.countryColumn };
      return transform.defaultCountry.trim() === '' ? withColumn : { ...withColumn, defaultCountry: transform.defaultCountry };
    }
    case 'concat':
      return { op: 'concat', separator: transform.separator };
    case 'split':
      return {
        op: 'split',
        separator: transform.separator,
        ...(transform.list ? {} : { index: numberOrText(transform.index) }),
        ...(transform.trim ? { trim: true } : {}),
        ...(transform.dropEmpty ? { dropEmpty: true } : {}),
      };
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
      ...(field.reference ? { reference: field.reference } : {}),
    })),
  };
}
