import type { ColumnInfo, TableDetail, TypeFamily } from '@/lib/connectors/connector';
import type { TransformOp } from '@/lib/schemas/mapping-spec';
import { uid, type DraftTransform, type MappingDraft } from './mapping-draft';

/** A new draft keyed on both tables' primary keys, with nothing mapped yet. */
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
      return { id, op, defaultCountry: '', countryColumn: '' };
    case 'concat':
      return { id, op, separator: ' ' };
    case 'split':
      // Into an array column: every part (a SET's members, "a;b;c" tags); else one part.
      return target?.family === 'array'
        ? { id, op, separator: ',', list: true, index: '0', trim: true, dropEmpty: true }
        : { id, op, separator: ' ', list: false, index: '0', trim: false, dropEmpty: false };
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
