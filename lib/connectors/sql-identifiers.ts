import type { KeyRange, KeyTuple } from './connector';

/**
 * Identifier quoting and key-tuple predicates shared by the SQL connectors.
 *
 * Rule of the connectors: user-supplied names reach SQL only through `quoteIdent`, and
 * values only as bind parameters (collected by `SqlParams`). Nothing else is interpolated.
 */

export type SqlDialect = 'postgres' | 'mysql';

function assertName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new Error('An identifier must be a non-empty string');
  // No driver can carry a NUL byte inside a quoted identifier; reject instead of truncating.
  if (name.includes('\u0000')) throw new Error('An identifier must not contain a NUL character');
}

/** PostgreSQL: wrap in double quotes, double embedded quotes (`a"b` → `"a""b"`). */
export function quotePgIdent(name: string): string {
  assertName(name);
  return `"${name.replace(/"/g, '""')}"`;
}

/** MySQL/MariaDB: wrap in backticks, double embedded backticks (`` a`b `` → `` `a``b` ``). */
export function quoteMysqlIdent(name: string): string {
  assertName(name);
  return `\`${name.replace(/`/g, '``')}\``;
}

export function quoteIdent(dialect: SqlDialect, name: string): string {
  return dialect === 'postgres' ? quotePgIdent(name) : quoteMysqlIdent(name);
}

/** `"schema"."table"` / `` `database`.`table` ``. */
export function qualifiedTable(dialect: SqlDialect, container: string, table: string): string {
  return `${quoteIdent(dialect, container)}.${quoteIdent(dialect, table)}`;
}

/** Collects bind values and hands out placeholders in the dialect's syntax ($n or ?). */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: SqlDialect) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === 'postgres' ? `$${this.values.length}` : '?';
  }
}

export type TupleOperator = '>' | '>=' | '<' | '<=';

function checkTuple(columns: string[], values: KeyTuple, what: string): void {
  if (values.length !== columns.length) {
    throw new Error(`${what} has ${values.length} values but the key has ${columns.length} columns`);
  }
  // A NULL inside a bound makes every comparison unknown: the range would silently be empty.
  if (values.some((v) => v === null || v === undefined)) throw new Error(`${what} must not contain NULL`);
}

/**
 * `(k1, k2) op (v1, v2)` in lexicographic key order. `quotedColumns` are already quoted.
 *
 * PostgreSQL uses a row-value comparison, which its btree indexes serve directly.
 * MariaDB accepts row values too but does not turn `(a,b) > (x,y)` into an index range
 * (EXPLAIN shows a full index scan on 10.11), so for MySQL the comparison is expanded to
 * `a >= x AND (a > x OR (a = x AND b > y))`, which its range optimizer does use.
 */
export function tupleComparison(
  dialect: SqlDialect,
  params: SqlParams,
  quotedColumns: string[],
  op: TupleOperator,
  values: KeyTuple,
): string {
  if (quotedColumns.length === 1) return `${quotedColumns[0]} ${op} ${params.add(values[0])}`;
  if (dialect === 'postgres') {
    const placeholders = values.map((v) => params.add(v));
    return `(${quotedColumns.join(', ')}) ${op} (${placeholders.join(', ')})`;
  }
  const strict = op === '>=' ? '>' : op === '<=' ? '<' : op;
  const expand = (i: number): string => {
    const column = quotedColumns[i];
    if (i === quotedColumns.length - 1) return `${column} ${op} ${params.add(values[i])}`;
    return `(${column} ${strict} ${params.add(values[i])} OR (${column} = ${params.add(values[i])} AND ${expand(i + 1)}))`;
  };
  const leading = `${quotedColumns[0]} ${op === '<' || op === '<=' ? '<=' : '>='} ${params.add(values[0])}`;
  return `${leading} AND ${expand(0)}`;
}

/**
 * WHERE conditions selecting a half-open key range, optionally resuming after a key and
 * stopping at a key (included).
 * Rows with a NULL in any key column never belong to a range: they cannot be ordered or
 * paginated by key, so planning leaves them out and they are counted separately.
 */
export function keyRangeConditions(
  dialect: SqlDialect,
  params: SqlParams,
  keyColumns: string[],
  range: KeyRange | null | undefined,
  after?: KeyTuple | null,
  through?: KeyTuple | null,
): string[] {
  if (keyColumns.length === 0) throw new Error('At least one key column is required');
  const quoted = keyColumns.map((c) => quoteIdent(dialect, c));
  const conditions = quoted.map((c) => `${c} IS NOT NULL`);
  if (range?.lower) {
    checkTuple(keyColumns, range.lower, 'The lower bound');
    conditions.push(tupleComparison(dialect, params, quoted, '>=', range.lower));
  }
  if (range?.upper) {
    checkTuple(keyColumns, range.upper, 'The upper bound');
    conditions.push(tupleComparison(dialect, params, quoted, '<', range.upper));
  }
  if (after) {
    checkTuple(keyColumns, after, 'The resume key');
    conditions.push(tupleComparison(dialect, params, quoted, '>', after));
  }
  if (through) {
    checkTuple(keyColumns, through, 'The last key');
    conditions.push(tupleComparison(dialect, params, quoted, '<=', through));
  }
  return conditions;
}

/**
 * `(k1, k2) IN ((v, v), …)`: both servers plan a row-value IN list as index lookups
 * (MariaDB 10.11 EXPLAIN: range on PRIMARY). A single key uses a plain IN list.
 */
export function keyInList(dialect: SqlDialect, params: SqlParams, keyColumns: string[], keys: KeyTuple[]): string {
  if (keys.length === 0) throw new Error('keyInList needs at least one key');
  const quoted = keyColumns.map((c) => quoteIdent(dialect, c));
  for (const key of keys) {
    if (key.length !== keyColumns.length) {
      throw new Error(`A key has ${key.length} values but the key has ${keyColumns.length} columns`);
    }
  }
  if (quoted.length === 1) return `${quoted[0]} IN (${keys.map((k) => params.add(k[0])).join(', ')})`;
  const tuples = keys.map((k) => `(${k.map((v) => params.add(v)).join(', ')})`);
  return `(${quoted.join(', ')}) IN (${tuples.join(', ')})`;
}

export function whereClause(conditions: string[]): string {
  return conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
}

/** The columns to select: the requested ones, then any key column not already among them. */
export function withKeyColumns(keyColumns: string[], columns: string[]): string[] {
  const out: string[] = [];
  for (const c of [...columns, ...keyColumns]) if (!out.includes(c)) out.push(c);
  return out;
}
