import type { KeyTuple } from '../../connectors/connector';

export interface KeySpan {
  seq: number;
  /** Inclusive; null: from the start of the table. */
  lowerKey: KeyTuple | null;
  /** Exclusive; null: to the end of the table. */
  upperKey: KeyTuple | null;
}

/**
 * The half-open key ranges between sorted split points, with open ends: together they
 * cover every key exactly once, however the points were chosen. Each planner turns these
 * into its units (chunks, verify ranges).
 */
export function spansBetween(points: KeyTuple[]): KeySpan[] {
  const bounds: (KeyTuple | null)[] = [null, ...points, null];
  return bounds.slice(0, -1).map((lowerKey, seq) => ({ seq, lowerKey, upperKey: bounds[seq + 1] }));
}
