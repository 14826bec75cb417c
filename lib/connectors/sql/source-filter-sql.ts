import type { SourceFilter } from '../../schemas/mapping-spec';
import type { ColumnInfo, TypeFamily } from '../connector';
import type { BindValue, ComparisonOperator, SqlDialect } from './dialect';
import { SqlParams } from './identifiers';

/**
 * The mapping's source filters as SQL conditions that keep exactly the rows the copy keeps
 * in memory (lib/mapping/source-filter.ts), so that a count or a split of the filtered rows
 * is over the very rows the copy will write. Where a database would decide some row
 * differently (a collation ignoring case or trailing spaces, a number compared with text,
 * JSON null, code point against JavaScript's code unit order), the filter gets no condition
 * (null) and only the copy applies it.
 */

/** Source filters for a statement, with the table's columns they name. */
export interface FilterScope {
  columns: readonly ColumnInfo[];
  filters: readonly SourceFilter[];
}

const operators: Record<Exclude<SourceFilter['op'], 'like' | 'is_null' | 'not_null'>, ComparisonOperator> = {
  eq: '=',
  neq: '<>',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
};

/** Families the connectors hand over as the column's text (dates and times included). */
const TEXT_FAMILIES = new Set<TypeFamily>(['text', 'uuid', 'enum', 'date', 'timestamp', 'timestamptz', 'time']);

/**
 * The copy orders text by UTF-16 code unit, the databases (in the spellings used here) by
 * code point. The two agree whenever the filter value has no character from U+D800 up:
 * at the first difference a supplementary character sorts above it in both orders.
 */
const SAME_IN_BOTH_ORDERS = /^[\u0000-\uD7FF]*$/;

/** Integers past this are rounded when the copy reads them as numbers. */
const EXACT_INTEGER_LIMIT = 2 ** 53;

/** One filter as a condition, or null when the database cannot apply it as the copy does. */
export function filterCondition(dialect: SqlDialect, params: BindValue, column: ColumnInfo | undefined, filter: SourceFilter): string | null {
  const spell = dialect.filterSql;
  if (!spell || !column) return null;
  const quoted = dialect.quoteIdent(column.name);
  const { op, value } = filter;
  if (op === 'is_null' || op === 'not_null') {
    // JSON null reaches the copy as null although the column holds a value.
    if (column.family === 'json') return null;
    return `${quoted} ${op === 'is_null' ? 'IS NULL' : 'IS NOT NULL'}`;
  }
  if (typeof value === 'string') {
    // A NUL cannot be bound as PostgreSQL text, and no stored text holds one there anyway.
    if (!TEXT_FAMILIES.has(column.family) || value.includes('\u0000')) return null;
    const text = spell.driverText(column, quoted);
    if (text === null) return null;
    if (op === 'like') return endsInLoneEscape(value) ? null : spell.likeText(text, params.add(value));
    if (op !== 'eq' && op !== 'neq' && !SAME_IN_BOTH_ORDERS.test(value)) return null;
    return spell.compareText(text, operators[op], params.add(value));
  }
  if (op === 'like') return null;
  if (typeof value === 'number') {
    if (column.family === 'integer') {
      // The copy reads integers past 2^53 rounded, yet on the same side of any smaller value.
      if (Math.abs(value) >= EXACT_INTEGER_LIMIT) return null;
      return `${quoted} ${operators[op]} ${spell.exactNumber(params.add(value), Number.isInteger(value))}`;
    }
    if (column.family !== 'decimal' && column.family !== 'float') return null;
    const text = spell.driverText(column, quoted);
    if (text === null) return null;
    // PostgreSQL's NaN sorts above every number; the copy's NaN matches no comparison.
    return `(${text} <> 'NaN' AND ${spell.toDouble(text)} ${operators[op]} ${spell.toDouble(params.add(value))})`;
  }
  if (typeof value === 'boolean' && column.family === 'boolean' && spell.booleanColumn(column)) {
    return spell.compareBoolean(quoted, operators[op], params.add(value));
  }
  return null;
}

/** The filters of this list that the database applies exactly as the copy does. */
export function applicableFilters(dialect: SqlDialect, columns: readonly ColumnInfo[], filters: readonly SourceFilter[]): SourceFilter[] {
  return filters.filter((filter) => filterCondition(dialect, new SqlParams(dialect), columnNamed(columns, filter.column), filter) !== null);
}

/** Conditions for every filter of the scope; a filter it cannot apply is a caller's mistake. */
export function filterConditions(dialect: SqlDialect, params: BindValue, scope: FilterScope | undefined): string[] {
  if (!scope) return [];
  return scope.filters.map((filter) => {
    const condition = filterCondition(dialect, params, columnNamed(scope.columns, filter.column), filter);
    if (condition === null) throw new Error(`The ${filter.op} filter on "${filter.column}" cannot be applied by the database; pass only applicableFilters`);
    return condition;
  });
}

const columnNamed = (columns: readonly ColumnInfo[], name: string) => columns.find((c) => c.name === name);

/** A pattern ending in an unescaped backslash: a literal one for the copy, an error for PostgreSQL. */
function endsInLoneEscape(pattern: string): boolean {
  let lone = false;
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] !== '\\') continue;
    if (i + 1 < pattern.length) i++;
    else lone = true;
  }
  return lone;
}
