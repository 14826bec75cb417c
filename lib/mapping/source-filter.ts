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
      const pattern = likeToRegExp(String(expected ?? ''));
      return (row) => {
        const actual = row[column];
        return actual !== null && actual !== undefined && pattern.test(actual instanceof Date ? actual.toISOString() : String(actual));
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

/** SQL LIKE: % any run, _ one character, backslash escapes; case-sensitive, whole value. */
export function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]);
    else if (char === '%') source += '.*';
    else if (char === '_') source += '.';
    else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`, 'su');
}

/** Outside a character class a `u`-flag regex refuses needless escapes (`\-`), so only syntax characters are escaped. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
