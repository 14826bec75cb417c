import type { Row } from '../connectors/connector';
import type { SourceFilter } from '../schemas/mapping-spec';

/**
 * In-memory evaluation of the spec's source filters (all must match), for engines that
 * read whole key ranges and for previews. SQL semantics for null: a null never equals,
 * compares or matches anything; only is_null sees it. Numbers compare numerically (also
 * numeric text against a number filter); text compares by code unit, which can differ
 * from a database collation for accented or mixed-case text.
 */
export type RowPredicate = (row: Row) => boolean;

export function compileSourceFilter(filters: readonly SourceFilter[]): RowPredicate {
  const predicates = filters.map(compileOne);
  if (predicates.length === 0) return () => true;
  return (row) => {
    for (const predicate of predicates) if (!predicate(row)) return false;
    return true;
  };
}

function compileOne(filter: SourceFilter): RowPredicate {
  const { column, op, value: expected } = filter;
  switch (op) {
    case 'is_null':
      return (row) => row[column] === null || row[column] === undefined;
    case 'not_null':
      return (row) => row[column] !== null && row[column] !== undefined;
    case 'like': {
      const matches = compileLike(String(expected ?? ''));
      return (row) => {
        const actual = row[column];
        return actual !== null && actual !== undefined && matches(actual instanceof Date ? actual.toISOString() : String(actual));
      };
    }
    default:
      return (row) => {
        const order = compare(row[column], expected);
        if (order === null) return false;
        switch (op) {
          case 'eq':
            return order === 0;
          case 'neq':
            return order !== 0;
          case 'lt':
            return order < 0;
          case 'lte':
            return order <= 0;
          case 'gt':
            return order > 0;
          case 'gte':
            return order >= 0;
        }
      };
  }
}

/** Negative, zero or positive like a comparator; null when the two cannot be compared. */
function compare(actual: unknown, expected: string | number | boolean | undefined): number | null {
  if (actual === null || actual === undefined || expected === undefined) return null;
  if (typeof expected === 'boolean') {
    const asBoolean = typeof actual === 'boolean' ? actual : actual === 1 || actual === '1' ? true : actual === 0 || actual === '0' ? false : null;
    return asBoolean === null ? null : Number(asBoolean) - Number(expected);
  }
  if (actual instanceof Date) {
    const expectedTime = Date.parse(String(expected));
    return Number.isNaN(expectedTime) ? null : Math.sign(actual.getTime() - expectedTime);
  }
  const actualNumber = typeof actual === 'number' ? actual : typeof actual === 'bigint' ? Number(actual) : Number.NaN;
  if (typeof expected === 'number' || !Number.isNaN(actualNumber)) {
    const left = Number.isNaN(actualNumber) ? toNumber(actual) : actualNumber;
    const right = typeof expected === 'number' ? expected : toNumber(expected);
    if (left === null || right === null) return null;
    return Math.sign(left - right);
  }
  const text = String(actual);
  return text === expected ? 0 : text < expected ? -1 : 1;
}

function toNumber(value: unknown): number | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const number = Number(value);
  return Number.isNaN(number) ? null : number;
}

type LikePiece = string | null;

/**
 * SQL LIKE: % any run, _ one character, backslash escapes; case-sensitive, whole value,
 * characters are code points. Matched without a regular expression: `%a%a%a…b` would make
 * a backtracking engine try every split of a long value. Here the pattern is cut at each %
 * into segments and each segment is placed at its leftmost fit after the previous one,
 * which is correct for LIKE. Without _ the segments are found with indexOf (linear in
 * practice); with _ the cost is at most the value's length times the pattern's.
 */
export function compileLike(pattern: string): (text: string) => boolean {
  const segments: LikePiece[][] = [[]];
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    if (char === '\\' && i + 1 < chars.length) segments[segments.length - 1].push(chars[++i]);
    else if (char === '%') segments.push([]);
    else segments[segments.length - 1].push(char === '_' ? null : char);
  }
  if (segments.every((segment) => segment.every((piece) => piece !== null))) return likeWithoutUnderscore(segments.map((segment) => segment.join('')));
  const first = segments[0];
  const last = segments.length > 1 ? segments[segments.length - 1] : null;
  const middle = segments.slice(1, -1).filter((segment) => segment.length > 0);

  return (value) => {
    const text = Array.from(value);
    if (last === null) return text.length === first.length && fitsAt(text, first, 0);
    if (text.length < first.length + last.length || !fitsAt(text, first, 0) || !fitsAt(text, last, text.length - last.length)) return false;
    let from = first.length;
    const end = text.length - last.length;
    for (const segment of middle) {
      const at = leftmostFit(text, segment, from, end);
      if (at < 0) return false;
      from = at + segment.length;
    }
    return true;
  };
}

/** Literal segments: whole code points, so matching UTF-16 text directly gives the same answer. */
function likeWithoutUnderscore(segments: readonly string[]): (text: string) => boolean {
  if (segments.length === 1) return (text) => text === segments[0];
  const first = segments[0];
  const last = segments[segments.length - 1];
  const middle = segments.slice(1, -1).filter((segment) => segment !== '');
  return (text) => {
    if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
    let from = first.length;
    const end = text.length - last.length;
    for (const segment of middle) {
      const at = text.indexOf(segment, from);
      if (at < 0 || at + segment.length > end) return false;
      from = at + segment.length;
    }
    return true;
  };
}

function fitsAt(text: readonly string[], segment: readonly LikePiece[], at: number): boolean {
  for (let i = 0; i < segment.length; i++) {
    const piece = segment[i];
    if (piece !== null && text[at + i] !== piece) return false;
  }
  return true;
}

/** The first index in [from, end - segment.length] where the segment fits, or -1. */
function leftmostFit(text: readonly string[], segment: readonly LikePiece[], from: number, end: number): number {
  for (let at = from; at + segment.length <= end; at++) if (fitsAt(text, segment, at)) return at;
  return -1;
}
