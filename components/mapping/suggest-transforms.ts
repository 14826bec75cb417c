import type { ColumnInfo, TableDetail, TypeFamily } from '@/lib/connectors/connector';
import type { TransformOp } from '@/lib/schemas/mapping-spec';
import type { DraftField } from './mapping-draft';

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
  if (target.family === 'array' && sourceColumns.some((c) => c.family === 'text') && !has('split')) {
    hints.push({ op: 'split', reason: `delimited text into ${target.dataType}: split it into a list` });
  }
  if (target.family === 'enum' && !has('value_map') && !has('constant')) {
    hints.push({ op: 'value_map', reason: `only ${(target.enumValues ?? []).slice(0, 5).join(', ')}${(target.enumValues ?? []).length > 5 ? ', …' : ''} are allowed` });
  }
  if (field.sources.length > 1 && isTextLike(target.family) && !has('concat')) {
    hints.push({ op: 'concat', reason: 'several sources: join them instead of taking the first non-null' });
  }
  return hints;
}
