/**
 * Date format patterns such as 'DD/MM/YYYY' or 'YYYY-MM-DDTHH:mm:ssZ', compiled once into
 * an anchored regex. Tokens: YYYY MM DD HH mm ss, plus SSS (fraction of a second, 1–9
 * digits) and Z ('Z', '+02', '+0200' or '+02:00'). MM DD HH mm ss accept one or two
 * digits because legacy exports write '1/2/2024' as often as '01/02/2024'. A space (or a
 * run of spaces) in the pattern matches any run of whitespace; every other character is
 * literal. The regex cannot backtrack super-linearly: each token is a bounded digit run,
 * literals are fixed, and whitespace runs are never next to each other.
 */
export interface DateFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Offset written in the text (ms east of UTC), or null when the text has none. */
  offsetMs: number | null;
}

export type DateFieldsParser = (text: string) => DateFields | null;

type Token = 'YYYY' | 'MM' | 'DD' | 'HH' | 'mm' | 'ss' | 'SSS' | 'Z';

/** Longest first so that 'SSS' is not read as something shorter. */
const TOKENS: readonly Token[] = ['YYYY', 'SSS', 'MM', 'DD', 'HH', 'mm', 'ss', 'Z'];

const TOKEN_REGEX: Record<Token, string> = {
  YYYY: '(\\d{4})',
  MM: '(\\d{1,2})',
  DD: '(\\d{1,2})',
  HH: '(\\d{1,2})',
  mm: '(\\d{1,2})',
  ss: '(\\d{1,2})',
  SSS: '(\\d{1,9})',
  Z: '(Z|[+-]\\d{2}(?::?\\d{2})?)',
};

export const MAX_DATE_FORMAT_LENGTH = 64;

type Piece = { token: Token } | { literal: string };

function tokenize(format: string): Piece[] {
  const pieces: Piece[] = [];
  let i = 0;
  while (i < format.length) {
    const token = TOKENS.find((candidate) => format.startsWith(candidate, i));
    if (token !== undefined) {
      pieces.push({ token });
      i += token.length;
    } else {
      pieces.push({ literal: format[i] });
      i += 1;
    }
  }
  return pieces;
}

/** Does the format read a time of day (HH, mm, ss …)? Such texts rarely repeat in a column. */
export function hasTimeOfDay(format: string): boolean {
  return tokenize(format).some((piece) => 'token' in piece && (piece.token === 'HH' || piece.token === 'mm' || piece.token === 'ss' || piece.token === 'SSS'));
}

/** Null when the pattern is usable, otherwise what is wrong with it (for the UI). */
export function describeDateFormatProblem(format: string): string | null {
  if (format.trim() === '') return 'is required';
  if (format.length > MAX_DATE_FORMAT_LENGTH) return `must be at most ${MAX_DATE_FORMAT_LENGTH} characters`;
  const counts = new Map<Token, number>();
  for (const piece of tokenize(format)) {
    if ('token' in piece) counts.set(piece.token, (counts.get(piece.token) ?? 0) + 1);
  }
  for (const [token, count] of counts) {
    if (count > 1) return `uses ${token} more than once`;
  }
  const missing = (['YYYY', 'MM', 'DD'] as const).filter((token) => !counts.has(token));
  if (missing.length > 0) return `must contain ${missing.join(', ')} (tokens: YYYY MM DD HH mm ss SSS Z)`;
  if (counts.has('mm') && !counts.has('HH')) return 'has minutes (mm) without hours (HH)';
  if (counts.has('ss') && !counts.has('mm')) return 'has seconds (ss) without minutes (mm)';
  if (counts.has('SSS') && !counts.has('ss')) return 'has fractions (SSS) without seconds (ss)';
  return null;
}

/** Assumes describeDateFormatProblem(format) === null. */
export function compileDateFormat(format: string): DateFieldsParser {
  const pieces = tokenize(format);
  const order: Token[] = [];
  let source = '^';
  let afterBlank = false;
  for (const piece of pieces) {
    const blank = 'literal' in piece && /\s/.test(piece.literal);
    if ('token' in piece) {
      order.push(piece.token);
      source += TOKEN_REGEX[piece.token];
    } else if (blank) {
      // A run of blanks in the format is one \s+: two in a row would let the regex try every
      // split of a long run of spaces in the text before failing (polynomial backtracking).
      if (!afterBlank) source += '\\s+';
    } else {
      source += piece.literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    }
    afterBlank = blank;
  }
  const pattern = new RegExp(`${source}$`, 'i');

  return (text) => {
    const match = pattern.exec(text);
    if (match === null) return null;
    const fields: DateFields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, millisecond: 0, offsetMs: null };
    for (let i = 0; i < order.length; i++) {
      const value = match[i + 1];
      switch (order[i]) {
        case 'YYYY':
          fields.year = Number(value);
          break;
        case 'MM':
          fields.month = Number(value);
          break;
        case 'DD':
          fields.day = Number(value);
          break;
        case 'HH':
          fields.hour = Number(value);
          break;
        case 'mm':
          fields.minute = Number(value);
          break;
        case 'ss':
          fields.second = Number(value);
          break;
        case 'SSS':
          fields.millisecond = Math.floor(Number(`0.${value}`) * 1000);
          break;
        case 'Z':
          fields.offsetMs = parseOffset(value);
          if (fields.offsetMs === null) return null;
          break;
      }
    }
    return areFieldsValid(fields) ? fields : null;
  };
}

function parseOffset(text: string): number | null {
  if (text === 'Z' || text === 'z') return 0;
  const sign = text[0] === '-' ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 18 || minutes > 59) return null;
  return sign * (hours * 60 + minutes) * 60_000;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Rejects 31/02, 24:00, 12:60 and year 0000 instead of letting Date roll them over. */
function areFieldsValid(fields: DateFields): boolean {
  const { year, month, day, hour, minute, second } = fields;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  return hour <= 23 && minute <= 59 && second <= 59;
}
