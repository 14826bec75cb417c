import type { ColumnInfo } from '../connectors/connector';
import { arrayElementFamily, arrayElementType, bitLength, isVaryingBit } from '../connectors/type-family';
import { parseDecimalText, roundDecimal } from './decimal-text';
import { describeValue } from './transform-error';
import { checkDateTimeText, isUuidText } from './value-shapes';

/**
 * Whether a non-null value can be written to a column of a given type family, and if
 * not, why. Conservative where databases disagree: what passes here is accepted by
 * PostgreSQL and by MySQL in strict mode.
 */

export type Problem = { code: string; message: string } | null;
export type FamilyCheck = (value: unknown) => Problem;

const ok: FamilyCheck = () => null;

function mismatch(value: unknown, expected: string, hint = ''): Problem {
  return { code: 'type_mismatch', message: `${describeValue(value)} is not ${expected}${hint}` };
}

/** The type-specific part of a column check (nulls are handled by the caller). */
export function compileFamilyCheck(column: ColumnInfo): FamilyCheck {
  switch (column.family) {
    case 'text':
      return compileTextCheck(column);
    case 'enum':
      return compileEnumCheck(column);
    case 'integer':
      return compileIntegerCheck(column);
    case 'decimal':
      return compileDecimalCheck(column);
    case 'float':
      return (value) => (isNumeric(value) ? null : mismatch(value, 'a number', '; add a cast'));
    case 'boolean':
      return compileBooleanCheck(column);
    case 'date':
    case 'timestamp':
    case 'timestamptz':
    case 'time': {
      const family = column.family;
      return (value) => checkDateTime(value, family);
    }
    case 'uuid':
      return (value) =>
        typeof value === 'string' && isUuidText(value)
          ? null
          : { code: 'invalid_uuid', message: `${describeValue(value)} is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)` };
    case 'json':
      return checkJson;
    case 'binary':
      return (value) => (value instanceof Uint8Array || typeof value === 'string' ? null : mismatch(value, 'binary data'));
    case 'interval':
      // Text the database parses, or the driver's interval object (it writes itself out).
      return (value) => (typeof value === 'string' || (typeof value === 'object' && value !== null && !Array.isArray(value)) ? null : mismatch(value, "an interval ('1 day 02:00:00')"));
    case 'bit':
      return compileBitCheck(column);
    case 'set':
      return compileSetCheck(column);
    case 'array':
      return compileArrayCheck(column);
    case 'other':
      return ok;
  }
}

/** PostgreSQL bit(n) takes exactly n bits, bit varying(n) at most n. */
function compileBitCheck(column: ColumnInfo): FamilyCheck {
  const length = bitLength(column.dataType);
  const varying = isVaryingBit(column.dataType);
  return (value) => {
    if (typeof value !== 'string' || !/^[01]*$/.test(value)) return mismatch(value, "a bit string ('0101')");
    if (length === null || (varying ? value.length <= length : value.length === length)) return null;
    return { code: 'out_of_range', message: `${describeValue(value)} has ${value.length} bits; "${column.name}" (${column.dataType}) takes ${varying ? 'at most ' : ''}${length}` };
  };
}

/** MySQL SET: members separated by commas, each one of the column's. */
function compileSetCheck(column: ColumnInfo): FamilyCheck {
  const allowed = new Set(column.enumValues ?? []);
  return (value) => {
    if (typeof value !== 'string') return mismatch(value, "a list of members ('a,b')");
    const unknown = value === '' ? [] : value.split(',').filter((member) => allowed.size > 0 && !allowed.has(member));
    return unknown.length === 0 ? null : { code: 'invalid_enum', message: `${describeValue(unknown[0])} is not a member of ${[...allowed].join(', ')}` };
  };
}

/**
 * A list (split, a PostgreSQL array read from the source) whose elements each fit the
 * element type, or PostgreSQL's own array text ('{a,b}'), which the database parses.
 */
function compileArrayCheck(column: ColumnInfo): FamilyCheck {
  const elementType = arrayElementType(column.dataType);
  const length = /\((\d+)\)$/.exec(elementType);
  const element: ColumnInfo = {
    ...column,
    dataType: elementType,
    family: arrayElementFamily(column.dataType),
    maxLength: length ? Number(length[1]) : null,
    enumValues: null,
  };
  const checkElement = element.family === 'array' ? ok : compileFamilyCheck(element);
  const checkList = (list: readonly unknown[]): Problem => {
    for (const item of list) {
      if (item === null || item === undefined) continue;
      const problem = Array.isArray(item) ? checkList(item) : checkElement(item);
      if (problem !== null) return { code: problem.code, message: `an element: ${problem.message}` };
    }
    return null;
  };
  return (value) => {
    if (Array.isArray(value)) return checkList(value);
    if (typeof value === 'string' && value.trimStart().startsWith('{') && value.trimEnd().endsWith('}')) return null;
    return mismatch(value, "a list ('{a,b}')", '; add a split');
  };
}

function compileTextCheck(column: ColumnInfo): FamilyCheck {
  const { maxLength } = column;
  return (value) => {
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
    else return mismatch(value, 'text', value instanceof Date ? '; use parse_date or cast to text' : '');
    // UTF-16 length is an upper bound of the character count databases use.
    if (maxLength === null || text.length <= maxLength) return null;
    const characters = countCodePoints(text);
    return characters <= maxLength
      ? null
      : { code: 'too_long', message: `${describeValue(value)} is ${characters} characters; "${column.name}" allows at most ${maxLength}` };
  };
}

function countCodePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function compileEnumCheck(column: ColumnInfo): FamilyCheck {
  const allowed = new Set(column.enumValues ?? []);
  const listed = [...allowed].slice(0, 10).join(', ');
  return (value) => {
    if (allowed.size === 0) return null;
    const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
    if (text !== null && allowed.has(text)) return null;
    return { code: 'invalid_enum', message: `${describeValue(value)} is not one of ${listed}${allowed.size > 10 ? ', …' : ''}` };
  };
}

const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;

/** Range from the native type name; precision reported for ints is unreliable across drivers. */
export function integerRange(column: ColumnInfo): { min: bigint; max: bigint } {
  const type = column.dataType.toLowerCase();
  const name = /^(smallserial|bigserial|tinyint|smallint|mediumint|bigint|integer|serial|int[1248]?)/.exec(type)?.[1] ?? 'bigint';
  const bits: Record<string, number> = {
    tinyint: 8, int1: 8, smallint: 16, int2: 16, smallserial: 16, mediumint: 24,
    int: 32, integer: 32, int4: 32, serial: 32, bigint: 64, int8: 64, bigserial: 64,
  };
  const width = BigInt(bits[name] ?? 64);
  if (type.includes('unsigned')) return { min: 0n, max: (1n << width) - 1n };
  return { min: -(1n << (width - 1n)), max: (1n << (width - 1n)) - 1n };
}

function compileIntegerCheck(column: ColumnInfo): FamilyCheck {
  const { min, max } = integerRange(column);
  const [minNumber, maxNumber] = [Number(min), Number(max)];
  const outOfRange = (value: unknown): Problem => ({
    code: 'out_of_range',
    message: `${describeValue(value)} is outside the range of ${column.dataType} (${min}…${max})`,
  });
  return (value) => {
    if (typeof value === 'number') {
      if (!Number.isInteger(value)) return mismatch(value, 'a whole number', '; add a cast to integer');
      if (Number.isSafeInteger(value)) return value >= minNumber && value <= maxNumber ? null : outOfRange(value);
      return outOfRange(value);
    }
    let asBigInt: bigint;
    if (typeof value === 'bigint') asBigInt = value;
    else if (typeof value === 'string' && INTEGER_TEXT.test(value)) asBigInt = BigInt(value.trim());
    else return mismatch(value, 'a whole number', '; add a cast to integer');
    return asBigInt >= min && asBigInt <= max ? null : outOfRange(value);
  };
}

function compileDecimalCheck(column: ColumnInfo): FamilyCheck {
  const precision = column.numericPrecision;
  const scale = column.numericScale ?? 0;
  return (value) => {
    const text = typeof value === 'number' || typeof value === 'bigint' ? String(value) : typeof value === 'string' ? value : null;
    const parts = text === null || (typeof value === 'number' && !Number.isFinite(value)) ? null : parseDecimalText(text);
    if (parts === null) return mismatch(value, 'a number', '; add a cast to decimal');
    if (precision === null) return null;
    // The database rounds extra fraction digits, which can carry into the integer part.
    const integerDigits = roundDecimal(parts, scale).intDigits.length;
    if (integerDigits <= precision - scale) return null;
    return {
      code: 'out_of_range',
      message: `${describeValue(value)} does not fit ${column.dataType}: at most ${precision - scale} digits before the decimal point`,
    };
  };
}

function isNumeric(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'bigint') return true;
  return typeof value === 'string' && parseDecimalText(value) !== null;
}

/** PostgreSQL parses boolean words; MySQL's BOOLEAN is tinyint(1) and only takes 0/1. */
const PG_BOOLEAN_WORDS = new Set(['t', 'true', 'y', 'yes', 'on', '1', 'f', 'false', 'n', 'no', 'off', '0']);

function compileBooleanCheck(column: ColumnInfo): FamilyCheck {
  const acceptsWords = column.dataType.toLowerCase().startsWith('bool');
  return (value) => {
    if (typeof value === 'boolean' || value === 0 || value === 1 || value === 0n || value === 1n) return null;
    if (typeof value === 'string') {
      const word = value.trim().toLowerCase();
      if (word === '0' || word === '1' || (acceptsWords && PG_BOOLEAN_WORDS.has(word))) return null;
    }
    return mismatch(value, 'true/false', '; add a cast to boolean');
  };
}

function checkDateTime(value: unknown, family: 'date' | 'timestamp' | 'timestamptz' | 'time'): Problem {
  if (value instanceof Date) {
    if (family === 'time') return mismatch(value, 'a time of day (HH:mm:ss)');
    return Number.isNaN(value.getTime()) ? mismatch(value, 'a valid date') : null;
  }
  if (typeof value === 'string' && checkDateTimeText(value, family)) return null;
  const expected = {
    date: "a date ('YYYY-MM-DD')",
    timestamp: "a timestamp ('YYYY-MM-DD HH:mm:ss')",
    timestamptz: "a timestamp ('YYYY-MM-DDTHH:mm:ssZ')",
    time: "a time of day ('HH:mm:ss')",
  }[family];
  return mismatch(value, expected, family === 'time' ? '' : '; use parse_date');
}

function checkJson(value: unknown): Problem {
  if (typeof value !== 'string') {
    return typeof value === 'object' || typeof value === 'number' || typeof value === 'boolean'
      ? null
      : mismatch(value, 'JSON');
  }
  try {
    JSON.parse(value);
    return null;
  } catch {
    return mismatch(value, 'valid JSON text');
  }
}
