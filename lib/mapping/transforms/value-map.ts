import type { ScalarValue, TransformOf } from '../../schemas/mapping-spec';
import { describeValue, TransformError } from '../transform-error';
import { toText } from '../value-text';
import type { TransformFn } from './types';

type ValueMapParams = Pick<TransformOf<'value_map'>, 'map' | 'caseInsensitive' | 'trim' | 'otherwise'>;

/**
 * Looks the value's text form up in the map (numbers as '1', booleans as 'true').
 * Null stays null: a missing status is not an unmapped one; add a default after.
 */
export function compileValueMap(params: ValueMapParams): TransformFn {
  const { caseInsensitive, trim, otherwise } = params;
  const normalizeKey = (key: string) => {
    const trimmed = trim ? key.trim() : key;
    return caseInsensitive ? trimmed.toLowerCase() : trimmed;
  };
  const lookup = new Map<string, ScalarValue>();
  for (const [key, mapped] of Object.entries(params.map)) {
    const normalized = normalizeKey(key);
    if (!lookup.has(normalized)) lookup.set(normalized, mapped);
  }
  const knownKeys = Object.keys(params.map).slice(0, 5).map((key) => JSON.stringify(key)).join(', ');

  return (value) => {
    if (value === null || value === undefined) return null;
    const text = toText(value);
    if (text !== null) {
      const mapped = lookup.get(normalizeKey(text));
      if (mapped !== undefined) return mapped;
    }
    switch (otherwise.mode) {
      case 'keep':
        return value;
      case 'default':
        return otherwise.value;
      case 'error':
        throw new TransformError(
          'unmapped_value',
          `${describeValue(value)} is not in the value map (known: ${knownKeys}${lookup.size > 5 ? ', …' : ''})`,
        );
    }
  };
}

export function valueMap(value: unknown, params: ValueMapParams): unknown {
  return compileValueMap(params)(value);
}
