import type { TransformOf } from '../../schemas/mapping-spec';

/** Fills only null (and a missing value); '' is a value, use null_if_empty first to catch it. */
export function defaultValue(value: unknown, params: Pick<TransformOf<'default'>, 'value'>): unknown {
  return value === null || value === undefined ? params.value : value;
}
