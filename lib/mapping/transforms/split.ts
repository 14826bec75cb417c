import type { TransformOf } from '../../schemas/mapping-spec';
import { toText } from '../value-text';

/** Literal separator (not a regex). An index past either end gives null, not an error. */
export function split(value: unknown, params: Pick<TransformOf<'split'>, 'separator' | 'index'>): unknown {
  const text = toText(value);
  if (text === null) return null;
  const parts = text.split(params.separator);
  const index = params.index < 0 ? parts.length + params.index : params.index;
  return index >= 0 && index < parts.length ? parts[index] : null;
}
