import { z } from 'zod';
import { formatCount } from './format';

/** What a number input may hold, read off the zod schema the server validates with (no copied literals). */
export interface NumberLimits {
  min?: number;
  max?: number;
  integer: boolean;
}

/** Limits of a (possibly optional or defaulted) number schema; an unbounded side is left out. */
export function numberLimits(schema: z.ZodType): NumberLimits {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
  if (!(inner instanceof z.ZodNumber)) throw new Error('numberLimits needs a number schema');
  // zod reports an integer schema without a bound as the safe-integer range.
  const bounded = (value: number | null) => (value !== null && Number.isFinite(value) && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : undefined);
  return { min: bounded(inner.minValue), max: bounded(inner.maxValue), integer: inner.isInt };
}

/** The attributes of an <input type="number"> for these limits. */
export const inputLimits = (limits: NumberLimits) => ({ min: limits.min, max: limits.max, step: limits.integer ? 1 : 'any' });

/** "a whole number from 10 to 50,000", "at least 0", … */
export function describeLimits(limits: NumberLimits): string {
  const kind = limits.integer ? 'a whole number' : 'a number';
  if (limits.min !== undefined && limits.max !== undefined) return `${kind} from ${formatCount(limits.min)} to ${formatCount(limits.max)}`;
  if (limits.min !== undefined) return `${kind}, at least ${formatCount(limits.min)}`;
  if (limits.max !== undefined) return `${kind}, at most ${formatCount(limits.max)}`;
  return kind;
}

/** Whether a value the user typed breaks the limits (then the page says the limits, whatever words the server chose). */
export const outsideLimits = (value: number, limits: NumberLimits) =>
  (limits.integer && !Number.isInteger(value)) || (limits.min !== undefined && value < limits.min) || (limits.max !== undefined && value > limits.max);
