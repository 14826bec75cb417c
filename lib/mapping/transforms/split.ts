import type { TransformOf } from '../../schemas/mapping-spec';
import { toText } from '../value-text';

type SplitParams = Pick<TransformOf<'split'>, 'separator'> & Partial<Pick<TransformOf<'split'>, 'index' | 'trim' | 'dropEmpty'>>;

/**
 * Splits text at a literal separator (not a regex), each part trimmed and empty parts left
 * out when asked. With an index: that part (negative from the end), null past either end,
 * not an error. Without: the list of parts, which fills an array column ('red,blue' →
 * ['red', 'blue']; an empty text gives an empty list only with dropEmpty). A list (an
 * array read from the source) is split already: its elements are the parts.
 */
export function split(value: unknown, params: SplitParams): unknown {
  let parts: string[];
  if (Array.isArray(value)) {
    // Already a list (a PostgreSQL array): its elements are the parts.
    parts = value.map((item) => toText(item) ?? '');
  } else {
    const text = toText(value);
    if (text === null) return null;
    parts = text.split(params.separator);
  }
  if (params.trim) parts = parts.map((part) => part.trim());
  if (params.dropEmpty) parts = parts.filter((part) => part !== '');
  if (params.index === undefined) return parts;
  const index = params.index < 0 ? parts.length + params.index : params.index;
  return index >= 0 && index < parts.length ? parts[index] : null;
}
