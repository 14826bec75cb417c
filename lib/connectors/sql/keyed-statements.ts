import type { KeyTuple, RangeHash, ReadRangeRequest, Row } from '../connector';
import { withKeyColumns } from '../with-key-columns';
import type { SqlDialect } from './dialect';
import { SqlParams, keyInList } from './identifiers';
import { KEY_LOOKUP_GROUP, hashRangeStatement, keyBoundStatements, keysetBatches, readKeysStatements, readRangeStatement, toKeyValue } from './reads';
import type { FilterScope } from './source-filter-sql';
import type { Statement } from './statement';

/**
 * Reads and deletes by key that the PostgreSQL and MariaDB connectors run alike: only the
 * dialect differs, so each connector passes its own query function and qualified table.
 */

type QueryRows = <R>(text: string, values?: unknown[]) => Promise<R[]>;

/** Rows of a key range in key order, one keyset batch at a time (`table` is already qualified). */
export function readRangeRows(query: QueryRows, dialect: SqlDialect, table: string, request: ReadRangeRequest): AsyncIterable<Row[]> {
  return keysetBatches(
    (after) => {
      const s = readRangeStatement(dialect, table, request.keyColumns, request.columns, request.range, after, request.batchSize, request.through);
      return query<Row>(s.text, s.values);
    },
    request.keyColumns,
    request.batchSize,
    request.after ?? null,
  );
}

/**
 * readRangeRows with rows as value arrays (columns in withKeyColumns order, as the
 * statement selects them), each connector passing its array-mode query.
 */
export async function* readRangeArrayRows(
  queryArrays: (text: string, values: unknown[]) => Promise<unknown[][]>,
  dialect: SqlDialect,
  table: string,
  request: ReadRangeRequest,
): AsyncGenerator<unknown[][]> {
  const selected = withKeyColumns(request.keyColumns, request.columns);
  const keyAt = request.keyColumns.map((c) => selected.indexOf(c));
  let after: KeyTuple | null = request.after ?? null;
  for (;;) {
    const s = readRangeStatement(dialect, table, request.keyColumns, request.columns, request.range, after, request.batchSize, request.through);
    const rows = await queryArrays(s.text, s.values);
    if (rows.length === 0) return;
    const last = rows[rows.length - 1];
    const full = rows.length >= request.batchSize;
    yield rows;
    if (!full) return;
    const next = keyAt.map((i) => toKeyValue(last[i]));
    // Cheap guard: a key that does not advance would otherwise loop forever.
    if (after && JSON.stringify(next) === JSON.stringify(after)) throw new Error('Keyset pagination made no progress');
    after = next;
  }
}

/** keyBounds for SQL databases: the first and the last key (of the rows in scope), as key tuples. */
export async function readKeyBounds(
  queryArrays: (text: string, values: unknown[]) => Promise<unknown[][]>,
  dialect: SqlDialect,
  table: string,
  keyColumns: string[],
  scope?: FilterScope,
): Promise<{ first: KeyTuple; last: KeyTuple } | null> {
  const s = keyBoundStatements(dialect, table, keyColumns, scope);
  const [first, last] = await Promise.all([queryArrays(s.first.text, s.first.values), queryArrays(s.last.text, s.last.values)]);
  if (first.length === 0 || last.length === 0) return null;
  return { first: first[0].map(toKeyValue), last: last[0].map(toKeyValue) };
}

/** The rows with the given keys, looked up group by group (see readKeysStatements). */
export async function readKeyRows(query: QueryRows, dialect: SqlDialect, table: string, keyColumns: string[], columns: string[], keys: KeyTuple[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const s of readKeysStatements(dialect, table, keyColumns, columns, keys)) {
    rows.push(...(await query<Row>(s.text, s.values)));
  }
  return rows;
}

/** Count and engine-specific hash of a key range (see hashRangeStatement). */
export async function runHashRange(
  query: QueryRows,
  dialect: SqlDialect,
  table: string,
  keyColumns: string[],
  columns: string[],
  range: ReadRangeRequest['range'],
): Promise<RangeHash> {
  const s = hashRangeStatement(dialect, table, keyColumns, columns, range);
  const [row] = await query<{ n: unknown; h: unknown }>(s.text, s.values);
  // Both engines return the hash as text (the SQL casts it), so String() changes nothing there.
  return { count: Number(row.n), hash: String(row.h) };
}

/** How many rows have a NULL in any key column, and the first `limit` of them. */
export async function readNullKeyRows(
  query: QueryRows,
  dialect: SqlDialect,
  table: string,
  keyColumns: string[],
  columns: string[],
  limit: number,
): Promise<{ count: number; rows: Row[] }> {
  const anyNull = keyColumns.map((c) => `${dialect.quoteIdent(c)} IS NULL`).join(' OR ');
  const select = withKeyColumns(keyColumns, columns).map((c) => dialect.quoteIdent(c)).join(', ');
  const [counted] = await query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${anyNull}`);
  const count = Number(counted.n);
  const rows = count > 0 ? await query<Row>(`SELECT ${select} FROM ${table} WHERE ${anyNull} LIMIT ${Math.max(0, Math.floor(limit))}`) : [];
  return { count, rows };
}

/**
 * One DELETE per group of KEY_LOOKUP_GROUP keys, built as the caller reaches it (a bad key
 * in a later group fails after the earlier groups ran); each connector runs them and sums
 * the affected rows.
 */
export function* deleteKeysStatements(dialect: SqlDialect, table: string, keyColumns: string[], keys: KeyTuple[]): Generator<Statement> {
  for (let i = 0; i < keys.length; i += KEY_LOOKUP_GROUP) {
    const params = new SqlParams(dialect);
    const where = keyInList(dialect, params, keyColumns, keys.slice(i, i + KEY_LOOKUP_GROUP));
    yield { text: `DELETE FROM ${table} WHERE ${where}`, values: params.values };
  }
}
