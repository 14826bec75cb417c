import type { MappingSpec, ScalarValue, Transform } from '@/lib/schemas/mapping-spec';
import { uid, type DraftScalar, type DraftTransform, type MappingDraft } from './mapping-draft';

function scalarToDraft(value: ScalarValue): DraftScalar {
  if (value === null) return { text: '', kind: 'null' };
  if (typeof value === 'boolean') return { text: String(value), kind: 'boolean' };
  if (typeof value === 'number') return { text: String(value), kind: 'number' };
  return { text: value, kind: 'text' };
}

function transformToDraft(transform: Transform): DraftTransform {
  const draft = transformParamsToDraft(transform);
  return 'onFailure' in transform && transform.onFailure && transform.onFailure !== 'reject' ? { ...draft, onFailure: transform.onFailure } : draft;
}

function transformParamsToDraft(transform: Transform): DraftTransform {
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
      return { id, op: 'phone_e164', defaultCountry: transform.defaultCountry ?? '', countryColumn: transform.countryColumn ?? '' };
    case 'concat':
      return { id, op: 'concat', separator: transform.separator };
    case 'split':
      return {
        id,
        op: 'split',
        separator: transform.separator,
        list: transform.index === undefined,
        index: String(transform.index ?? 0),
        trim: transform.trim ?? false,
        dropEmpty: transform.dropEmpty ?? false,
      };
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

/** Opens a saved spec for editing: typed values become text again, list items get ids. */
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
      ...(field.reference ? { reference: { ...field.reference } } : {}),
    })),
  };
}
