import type { TransformOf } from '../../schemas/mapping-spec';
import { type DecimalParts, decimalFromNumber, formatDecimal, parseDecimalText, roundDecimal } from '../decimal-text';
import { describeValue, TransformError } from '../transform-error';
import { toText } from '../value-text';
import type { TransformFn } from './types';

type CastParams = Pick<TransformOf<'cast'>, 'to' | 'scale'>;

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0']);

/**
 * Blank text casts to null for every target: legacy exports write '' for "no value",
 * and failing those rows would only force a null_if_empty before every cast.
 */
export function compileCast(params: CastParams): TransformFn {
  switch (params.to) {
    case 'integer':
      return castInteger;
    case 'decimal': {
      const { scale } = params;
      return (value) => castDecimal(value, scale);
    }
    case 'boolean':
      return castBoolean;
    case 'text':
      return castText;
  }
}

export function cast(value: unknown, params: CastParams): unknown {
  return compileCast(params)(value);
}

function toDecimalParts(value: unknown): DecimalParts | 'blank' | null {
  if (typeof value === 'string') return value.trim() === '' ? 'blank' : parseDecimalText(value);
  if (typeof value === 'number') return decimalFromNumber(value);
  if (typeof value === 'bigint') return parseDecimalText(value.toString());
  if (typeof value === 'boolean') return parseDecimalText(value ? '1' : '0');
  return null;
}

/**
 * Accepts 42, '42', ' 42 ', '42.0', '-7', '1e3'; rejects '4.2' and 'abc'. Returns a number
 * when it is a safe integer, otherwise the digit string (bigint columns beyond 2^53).
 */
function castInteger(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const parts = toDecimalParts(value);
  if (parts === 'blank') return null;
  if (parts === null || /[1-9]/.test(parts.fracDigits)) {
    throw new TransformError('invalid_number', `${describeValue(value)} is not a whole number`);
  }
  const text = formatDecimal({ ...parts, fracDigits: '' });
  const asNumber = Number(text);
  return Number.isSafeInteger(asNumber) ? asNumber : text;
}

/** Returns canonical decimal text (never a float) so money keeps every cent. */
function castDecimal(value: unknown, scale: number | undefined): unknown {
  if (value === null || value === undefined) return null;
  const parts = toDecimalParts(value);
  if (parts === 'blank') return null;
  if (parts === null) throw new TransformError('invalid_number', `${describeValue(value)} is not a number`);
  return formatDecimal(scale === undefined ? parts : roundDecimal(parts, scale));
}

function castBoolean(value: unknown): unknown {
  if (value === null || value === undefined || typeof value === 'boolean') return value ?? null;
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (value === 1 || value === 1n) return true;
    if (value === 0 || value === 0n) return false;
  } else if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (word === '') return null;
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
  }
  throw new TransformError(
    'invalid_boolean',
    `${describeValue(value)} is not a yes/no value (true/false, 1/0, yes/no, y/n, t/f)`,
  );
}

function castText(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const text = toText(value);
  if (text === null) throw new TransformError('invalid_input', `${describeValue(value)} has no text form`);
  return text;
}
