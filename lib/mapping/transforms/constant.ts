import type { TransformOf } from '../../schemas/mapping-spec';

export function constant(_value: unknown, params: Pick<TransformOf<'constant'>, 'value'>): unknown {
  return params.value;
}
