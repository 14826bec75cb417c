/**
 * Exact decimal handling on digit strings. Money and numeric(p,s) values must not pass
 * through binary floating point: 1.005 rounded with toFixed(2) gives "1.00"; here it
 * gives "1.01". Numbers are first turned into their shortest round-trip text (String(n)),
 * which is what the user sees and means.
 */
export interface DecimalParts {
  negative: boolean;
  /** Digits before the point, no leading zeros ('' means zero). */
  intDigits: string;
  /** Digits after the point, as given (trailing zeros kept). */
  fracDigits: string;
}

const DECIMAL_TEXT = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/** Bounds the work and output size for inputs like "1e999999". */
const MAX_EXPONENT = 400;

/** Parses "  -012.50 ", "1e3", ".5"; rejects "", ".", "1,000", "abc". Trims whitespace. */
export function parseDecimalText(text: string): DecimalParts | null {
  const match = DECIMAL_TEXT.exec(text.trim());
  if (match === null) return null;
  const [, sign, rawInt = '', rawFrac = '', rawExponent] = match;
  if (rawInt === '' && rawFrac === '') return null;
  let digits = rawInt + rawFrac;
  let pointAt = rawInt.length;
  if (rawExponent !== undefined) {
    const exponent = Number(rawExponent);
    if (Math.abs(exponent) > MAX_EXPONENT) return null;
    pointAt += exponent;
    if (pointAt < 0) {
      digits = '0'.repeat(-pointAt) + digits;
      pointAt = 0;
    } else if (pointAt > digits.length) {
      digits += '0'.repeat(pointAt - digits.length);
    }
  }
  return {
    negative: sign === '-',
    intDigits: stripLeadingZeros(digits.slice(0, pointAt)),
    fracDigits: digits.slice(pointAt),
  };
}

export function decimalFromNumber(value: number): DecimalParts | null {
  return Number.isFinite(value) ? parseDecimalText(String(value)) : null;
}

/** Rounds half away from zero ("half-up" as accountants mean it) to `scale` digits. */
export function roundDecimal(parts: DecimalParts, scale: number): DecimalParts {
  const { fracDigits } = parts;
  if (fracDigits.length <= scale) {
    return { ...parts, fracDigits: fracDigits.padEnd(scale, '0') };
  }
  const kept = parts.intDigits + fracDigits.slice(0, scale);
  const roundUp = fracDigits.charCodeAt(scale) >= 53; /* '5' */
  const digits = roundUp ? incrementDigits(kept) : kept;
  const intLength = digits.length - scale;
  return {
    negative: parts.negative,
    intDigits: stripLeadingZeros(digits.slice(0, intLength)),
    fracDigits: digits.slice(intLength),
  };
}

export function isZero(parts: DecimalParts): boolean {
  return parts.intDigits === '' && /^0*$/.test(parts.fracDigits);
}

/** Canonical text: no leading zeros, no "-0", point only when there are fraction digits. */
export function formatDecimal(parts: DecimalParts): string {
  const sign = parts.negative && !isZero(parts) ? '-' : '';
  const int = parts.intDigits === '' ? '0' : parts.intDigits;
  return parts.fracDigits === '' ? sign + int : `${sign}${int}.${parts.fracDigits}`;
}

function stripLeadingZeros(digits: string): string {
  let i = 0;
  while (i < digits.length && digits.charCodeAt(i) === 48 /* '0' */) i++;
  return digits.slice(i);
}

function incrementDigits(digits: string): string {
  const chars = digits.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] === '9') {
      chars[i] = '0';
    } else {
      chars[i] = String.fromCharCode(chars[i].charCodeAt(0) + 1);
      return chars.join('');
    }
  }
  return `1${chars.join('')}`;
}
