import type { KeyRange, KeyTuple, KeyValue, Row } from '../connector';
import { withKeyColumns } from '../with-key-columns';
import type { SqlDialect } from './dialect';
import { SqlParams, keyInList, keyRangeConditions, whereClause } from './identifiers';
import { filterConditions, type FilterScope } from './source-filter-sql';
import type { Statement } from './statement';

/**
 * Read statements shared by the SQL connectors. Both PostgreSQL and MariaDB 10.2+ / MySQL 8
 * accept the same shapes; only quoting, placeholders and the row hash differ (the dialect).
 */

/** Rows per key lookup statement: keeps IN lists and parameter counts small. */
export const KEY_LOOKUP_GROUP = 500;

// Alias of the row-number column; unusual enough not to collide with a user key column.
const ROW_NUMBER_ALIAS = 'ferry_row_number__';

/** Rows with a whole key, and (with a scope) matching its filters: the rows a plan covers. */
function inScope(dialect: SqlDialect, params: SqlParams, keyColumns: string[], scope: FilterScope | undefined): string {
  return whereClause([...keyRangeConditions(dialect, params, keyColumns, null), ...filterConditions(dialect, params, scope)]);
}

/** Split points every `rowsPerChunk` rows in key order; with a scope, every `rowsPerChunk` matching rows. */
export function splitPointsStatement(
  dialect: SqlDialect,
  table: string,
  keyColumns: string[],
  rowsPerChunk: number,
  scope?: FilterScope,
): Statement {
  if (!Number.isInteger(rowsPerChunk) || rowsPerChunk < 1) throw new Error('rowsPerChunk must be a positive integer');
  const params = new SqlParams(dialect);
  const keys = keyColumns.map((c) => dialect.quoteIdent(c)).join(', ');
  const rn = dialect.quoteIdent(ROW_NUMBER_ALIAS);
  // Bound before rowsPerChunk: placeholders are numbered (or, as ?, taken) in text order.
  const where = inScope(dialect, params, keyColumns, scope);
  // Row 1 starts the first chunk (lower bound null), so split points are rows
  // 1 + n, 1 + 2n, …; `(rn - 1) % n = 0` also behaves for n = 1.
  const text =
    `SELECT ${keys} FROM (SELECT ${keys}, row_number() OVER (ORDER BY ${keys}) AS ${rn} FROM ${table}${where}) s` +
    ` WHERE (${rn} - 1) % ${params.add(rowsPerChunk)} = 0 AND ${rn} > 1 ORDER BY ${keys}`;
  return { text, values: params.values };
}

/** The first and the last key in key order (with a scope, of the matching rows): two single-row index look-ups. */
export function keyBoundStatements(dialect: SqlDialect, table: string, keyColumns: string[], scope?: FilterScope): { first: Statement; last: Statement } {
  const keys = keyColumns.map((c) => dialect.quoteIdent(c));
  const params = new SqlParams(dialect);
  const where = inScope(dialect, params, keyColumns, scope);
  const select = (direction: string) => ({
    text: `SELECT ${keys.join(', ')} FROM ${table}${where} ORDER BY ${keys.map((k) => `${k}${direction}`).join(', ')} LIMIT 1`,
    values: params.values,
  });
  return { first: select(''), last: select(' DESC') };
}

/** How many rows have a whole key and match the scope's filters. */
export function countInScopeStatement(dialect: SqlDialect, table: string, keyColumns: string[], scope?: FilterScope): Statement {
  const params = new SqlParams(dialect);
  return { text: `SELECT COUNT(*) AS n FROM ${table}${inScope(dialect, params, keyColumns, scope)}`, values: params.values };
}

export function readRangeStatement(
  dialect: SqlDialect,
  table: string,
  keyColumns: string[],
  columns: string[],
  range: KeyRange,
  after: KeyTuple | null | undefined,
  limit: number,
  through?: KeyTuple | null,
): Statement {
  if (!Number.isInteger(limit) || limit < 1) throw new Error('batchSize must be a positive integer');
  const params = new SqlParams(dialect);
  const select = withKeyColumns(keyColumns, columns).map((c) => dialect.quoteIdent(c)).join(', ');
  const where = whereClause(keyRangeConditions(dialect, params, keyColumns, range, after, through));
  const order = keyColumns.map((c) => dialect.quoteIdent(c)).join(', ');
  return { text: `SELECT ${select} FROM ${table}${where} ORDER BY ${order} LIMIT ${params.add(limit)}`, values: params.values };
}

/**
 * One statement per group of KEY_LOOKUP_GROUP keys; where the dialect has array parameters
 * (PostgreSQL: `= ANY($1)`) a single-column key is one statement with the keys as one array
 * parameter, however many there are (the unique-value check of every batch looks up
 * thousands of values at once).
 */
export function readKeysStatements(
  dialect: SqlDialect,
  table: string,
  keyColumns: string[],
  columns: string[],
  keys: KeyTuple[],
): Statement[] {
  const select = withKeyColumns(keyColumns, columns).map((c) => dialect.quoteIdent(c)).join(', ');
  if (dialect.anyOfArray && keyColumns.length === 1 && keys.length > 0) {
    for (const key of keys) if (key.length !== 1) throw new Error(`A key has ${key.length} values but the key has 1 column`);
    const params = new SqlParams(dialect);
    const where = dialect.anyOfArray(dialect.quoteIdent(keyColumns[0]), params.add(keys.map((k) => k[0])));
    return [{ text: `SELECT ${select} FROM ${table} WHERE ${where}`, values: params.values }];
  }
  const statements: Statement[] = [];
  for (let i = 0; i < keys.length; i += KEY_LOOKUP_GROUP) {
    const params = new SqlParams(dialect);
    const inList = keyInList(dialect, params, keyColumns, keys.slice(i, i + KEY_LOOKUP_GROUP));
    statements.push({ text: `SELECT ${select} FROM ${table} WHERE ${inList}`, values: params.values });
  }
  return statements;
}

/** Without a range: every row. With a range: the rows of that key range (see keyRangeConditions). */
export function countStatement(dialect: SqlDialect, table: string, keyColumns: string[] | null, range?: KeyRange): Statement {
  const params = new SqlParams(dialect);
  const where = range && keyColumns ? whereClause(keyRangeConditions(dialect, params, keyColumns, range)) : '';
  return { text: `SELECT COUNT(*) AS n FROM ${table}${where}`, values: params.values };
}

/**
 * Count plus an order-independent hash: the SUM of a 60-bit prefix of each row's MD5.
 * Sums commute, so the scan order does not matter, and SUM over bigint/unsigned yields an
 * exact NUMERIC/DECIMAL (no overflow). Returned as a decimal string.
 *
 * The per-row text differs by database (PostgreSQL's row text vs a length-prefixed MySQL
 * concatenation), so hashes are comparable only with the same database kind — e.g. the same
 * range over time, or two PostgreSQL databases — never PostgreSQL against MySQL.
 * Key columns are always hashed so that swapped keys change the hash.
 */
export function hashRangeStatement(
  dialect: SqlDialect,
  table: string,
  keyColumns: string[],
  columns: string[],
  range: KeyRange,
): Statement {
  const params = new SqlParams(dialect);
  const where = whereClause(keyRangeConditions(dialect, params, keyColumns, range));
  const hashed = withKeyColumns(keyColumns, columns).map((c) => dialect.quoteIdent(c));
  const hash = dialect.rowHashAggregate(hashed);
  return { text: `SELECT COUNT(*) AS n, ${hash} AS h FROM ${table}${where}`, values: params.values };
}

/** Key values as the interface carries them (drivers may hand out bigint or Date). */
export function toKeyValue(value: unknown): KeyValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) throw new Error('Binary key columns are not supported as chunk keys');
  return String(value);
}

export function keyOf(row: Row, keyColumns: string[]): KeyTuple {
  return keyColumns.map((c) => toKeyValue(row[c]));
}

/**
 * Keyset pagination: fetch a batch, yield it, continue strictly after its last key.
 * Only one batch is held at a time, and no OFFSET is ever used.
 */
export async function* keysetBatches(
  fetchBatch: (after: KeyTuple | null) => Promise<Row[]>,
  keyColumns: string[],
  batchSize: number,
  initialAfter: KeyTuple | null,
): AsyncGenerator<Row[]> {
  let after = initialAfter;
  for (;;) {
    const rows = await fetchBatch(after);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batchSize) return;
    const next = keyOf(rows[rows.length - 1], keyColumns);
    // Cheap guard: a key that does not advance would otherwise loop forever.
    if (after && JSON.stringify(next) === JSON.stringify(after)) throw new Error('Keyset pagination made no progress');
    after = next;
  }
}
