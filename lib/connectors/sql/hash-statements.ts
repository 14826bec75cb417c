import type { CanonicalHashRequest, ColumnInfo, KeyRange, KeyTuple, RangeHash, Row, TableDetail } from '../connector';
import { rangeHashAggregate } from './canonical-sql';
import type { SqlDialect } from './dialect';
import { SqlParams, keyRangeConditions, whereClause } from './identifiers';
import { toKeyValue } from './reads';
import type { Statement } from './statement';

/**
 * Statements of in-database verification (see canonical-sql.ts): the canonical count and
 * hash of a key range, the keys that split a range into parts, and the collations that
 * decide how text keys sort. Shared by the PostgreSQL and MariaDB connectors; each runs
 * them through its own query function.
 */

type QueryRows = <R>(text: string, values: unknown[]) => Promise<R[]>;

export function canonicalHashStatement(dialect: SqlDialect, table: string, request: CanonicalHashRequest): Statement {
  const params = new SqlParams(dialect);
  const where = whereClause(keyRangeConditions(dialect, params, request.keyColumns, request.range));
  const hash = rangeHashAggregate(dialect, request.encoding, request.columns);
  return { text: `SELECT COUNT(*) AS n, ${hash} AS h FROM ${table}${where}`, values: params.values };
}

export async function runCanonicalHash(query: QueryRows, dialect: SqlDialect, table: string, request: CanonicalHashRequest): Promise<RangeHash> {
  const s = canonicalHashStatement(dialect, table, request);
  const [row] = await query<{ n: unknown; h: unknown }>(s.text, s.values);
  return { count: Number(row.n), hash: String(row.h) };
}

// Aliases of the selected key columns and the row number: object rows work for both drivers.
const keyAlias = (i: number) => `ferry_k${i}__`;
const ROW_NUMBER_ALIAS = 'ferry_row_number__';

/**
 * Keys at rows 1 + n, 1 + 2n, … of the range in key order: splitting the range at them
 * gives parts of `rowsPerPart` rows (the last one smaller). Reads only the key columns
 * (an index-only scan of the range where the key is indexed).
 */
export function splitRangeStatement(
  dialect: SqlDialect,
  table: string,
  keyColumns: string[],
  range: KeyRange,
  rowsPerPart: number,
): Statement {
  if (!Number.isInteger(rowsPerPart) || rowsPerPart < 1) throw new Error('rowsPerPart must be a positive integer');
  const params = new SqlParams(dialect);
  const keys = keyColumns.map((c) => dialect.quoteIdent(c)).join(', ');
  const aliased = keyColumns.map((c, i) => `${dialect.quoteIdent(c)} AS ${dialect.quoteIdent(keyAlias(i))}`).join(', ');
  const outer = keyColumns.map((_, i) => dialect.quoteIdent(keyAlias(i))).join(', ');
  const rn = dialect.quoteIdent(ROW_NUMBER_ALIAS);
  const where = whereClause(keyRangeConditions(dialect, params, keyColumns, range));
  const text =
    `SELECT ${outer} FROM (SELECT ${aliased}, row_number() OVER (ORDER BY ${keys}) AS ${rn} FROM ${table}${where}) s` +
    ` WHERE (${rn} - 1) % ${params.add(rowsPerPart)} = 0 AND ${rn} > 1 ORDER BY ${outer}`;
  return { text, values: params.values };
}

export async function runSplitRange(
  query: QueryRows,
  dialect: SqlDialect,
  table: string,
  keyColumns: string[],
  range: KeyRange,
  rowsPerPart: number,
): Promise<KeyTuple[]> {
  const s = splitRangeStatement(dialect, table, keyColumns, range, rowsPerPart);
  const rows = await query<Row>(s.text, s.values);
  return rows.map((row) => keyColumns.map((_, i) => toKeyValue(row[keyAlias(i)])));
}

// ---- collations ----------------------------------------------------------------------------

/**
 * The table detail with each column's collation filled in (null for types without one),
 * named so that two databases can be compared by name (the dialect's collationsStatement).
 */
export async function withCollations(query: QueryRows, dialect: SqlDialect, container: string, detail: TableDetail): Promise<TableDetail> {
  const s = dialect.collationsStatement(container, detail.name);
  const rows = await query<{ name: string; collation: string | null }>(s.text, s.values);
  const byName = new Map(rows.map((r) => [r.name, r.collation ?? null]));
  const columns: ColumnInfo[] = detail.columns.map((c) => ({ ...c, collation: byName.get(c.name) ?? null }));
  return { ...detail, columns };
}
