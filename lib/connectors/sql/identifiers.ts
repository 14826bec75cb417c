import type { KeyRange, KeyTuple } from '../connector';
import type { BindValue, SqlDialect, TupleOperator } from './dialect';

/**
 * Identifier checks and key-tuple predicates shared by the SQL connectors.
 *
 * Rule of the connectors: user-supplied names reach SQL only through the dialect's
 * `quoteIdent`, and values only as bind parameters (collected by `SqlParams`). Nothing else
 * is interpolated.
 */

/** Checks every dialect's quoteIdent makes before quoting. */
export function assertIdentifier(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new Error('An identifier must be a non-empty string');
  // No driver can carry a NUL byte inside a quoted identifier; reject instead of truncating.
  if (name.includes('\u0000')) throw new Error('An identifier must not contain a NUL character');
}

/** `"schema"."table"` / `` `database`.`table` ``. */
export function qualifiedTable(dialect: SqlDialect, container: string, table: string): string {
  return `${dialect.quoteIdent(container)}.${dialect.quoteIdent(table)}`;
}

/** Collects bind values and hands out placeholders in the dialect's syntax ($n or ?). */
export class SqlParams implements BindValue {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: SqlDialect) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.dialect.placeholder(this.values.length);
  }
}

function checkTuple(columns: string[], values: KeyTuple, what: string): void {
  if (values.length !== columns.length) {
    throw new Error(`${what} has ${values.length} values but the key has ${columns.length} columns`);
  }
  // A NULL inside a bound makes every comparison unknown: the range would silently be empty.
  if (values.some((v) => v === null || v === undefined)) throw new Error(`${what} must not contain NULL`);
}

/**
 * `(k1, k2) op (v1, v2)` in lexicographic key order. `quotedColumns` are already quoted.
 * A single column is a plain comparison; a composite key is spelled by the dialect, in the
 * form its range optimizer turns into an index range.
 */
export function tupleComparison(
  dialect: SqlDialect,
  params: SqlParams,
  quotedColumns: string[],
  op: TupleOperator,
  values: KeyTuple,
): string {
  if (quotedColumns.length === 1) return `${quotedColumns[0]} ${op} ${params.add(values[0])}`;
  return dialect.tupleComparison(params, quotedColumns, op, values);
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
  const quoted = keyColumns.map((c) => dialect.quoteIdent(c));
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
  const quoted = keyColumns.map((c) => dialect.quoteIdent(c));
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
