import type { TransformOf } from '../../schemas/mapping-spec';
import { toText } from '../value-text';

/**
 * Joins the field's source values (passed as an array) with the separator, skipping
 * null and empty parts so "Ada" + null + "Lovelace" does not become "Ada  Lovelace".
 * All parts empty gives null. A non-array value (a single input) passes through.
 */
export function concat(value: unknown, params: Pick<TransformOf<'concat'>, 'separator'>): unknown {
  if (!Array.isArray(value)) return value;
  let joined: string | null = null;
  for (const part of value) {
    const text = toText(part);
    if (text === null || text === '') continue;
    joined = joined === null ? text : joined + params.separator + text;
  }
  return joined;
}
