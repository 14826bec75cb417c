import type { Transform } from '../../schemas/mapping-spec';
import { TransformError } from '../transform-error';
import type { TransformFn } from './types';

/**
 * A compiled transform under its `onFailure` policy: 'reject' (or none) lets the
 * TransformError fail the row; 'null' writes null instead; 'keep' passes on the value the
 * transform was given. Only a TransformError (a value that does not convert) is caught: an
 * unexpected failure still fails the row.
 */
export function withFailurePolicy(transform: Transform, fn: TransformFn): TransformFn {
  const policy = 'onFailure' in transform ? transform.onFailure : undefined;
  if (policy === undefined || policy === 'reject') return fn;
  const keep = policy === 'keep';
  return (value, row) => {
    try {
      return fn(value, row);
    } catch (error) {
      if (!(error instanceof TransformError)) throw error;
      return keep ? value : null;
    }
  };
}
