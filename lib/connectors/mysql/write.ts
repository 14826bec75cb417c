import type mysql from 'mysql2/promise';
import type { WriteBatchRequest } from '../connector';
import { quoteMysqlIdent } from './quote-ident';
import { wrapMysqlError } from './wrap-error';

/**
 * MySQL/MariaDB batch writes, all inside one transaction on one session (InnoDB), so a
 * batch split over several statements is still all-or-nothing.
 */

/** Statement size budget, well under the default max_allowed_packet (16 MB MariaDB, 64 MB MySQL). */
const MAX_STATEMENT_BYTES = 4 * 1024 * 1024;
const MAX_ROWS_PER_STATEMENT = 5000;

/**
 * mysql2 would render a plain object as '[object Object]' and an array as a list, so
 * structured values (JSON columns) are sent as JSON text. Dates are rendered by mysql2 in
 * UTC (pool option timezone 'Z', same zone as the session).
 */
export function normalizeMysqlValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date || value instanceof Uint8Array) return value; // Buffers are Uint8Arrays
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

function approximateBytes(value: unknown): number {
  if (typeof value === 'string') return value.length * 2 + 4; // escaping can double a string
  if (value instanceof Uint8Array) return value.length * 2 + 3; // X'…'
  return 24;
}

/** Consecutive slices of rows that each fit the statement budget. */
function slices(rows: unknown[][]): unknown[][][] {
  const out: unknown[][][] = [];
  let current: unknown[][] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = row.reduce<number>((sum, v) => sum + approximateBytes(v), 8);
    if (current.length > 0 && (bytes + size > MAX_STATEMENT_BYTES || current.length >= MAX_ROWS_PER_STATEMENT)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

async function insertRows(conn: mysql.PoolConnection, table: string, req: WriteBatchRequest, rows: unknown[][]) {
  const cols = req.columns.map(quoteMysqlIdent).join(', ');
  let suffix = '';
  if (req.mode === 'upsert') {
    // VALUES(c) is deprecated in MySQL 8.0.20+ (a warning, still supported) but is the
    // only spelling MariaDB understands. Note: any unique key conflict triggers the update.
    const updates = req.columns
      .filter((c) => !req.keyColumns.includes(c))
      .map((c) => `${quoteMysqlIdent(c)} = VALUES(${quoteMysqlIdent(c)})`);
    const first = quoteMysqlIdent(req.keyColumns[0]);
    suffix = ` ON DUPLICATE KEY UPDATE ${updates.length > 0 ? updates.join(', ') : `${first} = ${first}`}`;
  }
  const placeholders = `(${req.columns.map(() => '?').join(', ')})`;
  for (const slice of slices(rows)) {
    await conn.query(`INSERT INTO ${table} (${cols}) VALUES ${slice.map(() => placeholders).join(', ')}${suffix}`, slice.flat());
  }
}

/**
 * One UPDATE per row. A joined derived table of literals would be one statement, but its
 * string columns take the connection collation and can fail with "Illegal mix of
 * collations" against the table's; per-row updates by primary key are always correct.
 */
async function updateRows(conn: mysql.PoolConnection, table: string, req: WriteBatchRequest, rows: unknown[][]) {
  const setColumns = req.columns.filter((c) => !req.keyColumns.includes(c));
  if (setColumns.length === 0) return;
  const setIdx = setColumns.map((c) => req.columns.indexOf(c));
  const keyIdx = req.keyColumns.map((k) => req.columns.indexOf(k));
  const sql =
    `UPDATE ${table} SET ${setColumns.map((c) => `${quoteMysqlIdent(c)} = ?`).join(', ')}` +
    ` WHERE ${req.keyColumns.map((k) => `${quoteMysqlIdent(k)} = ?`).join(' AND ')}`;
  for (const row of rows) {
    await conn.query(sql, [...setIdx.map((i) => row[i]), ...keyIdx.map((i) => row[i])]);
  }
}

export async function writeMysqlBatch(conn: mysql.PoolConnection, table: string, req: WriteBatchRequest): Promise<void> {
  if (req.mode !== 'insert') {
    const missing = req.keyColumns.filter((k) => !req.columns.includes(k));
    if (req.keyColumns.length === 0 || missing.length > 0) {
      throw new Error(`Mode "${req.mode}" needs every key column among the written columns`);
    }
  }
  for (const row of req.rows) {
    if (row.length !== req.columns.length) {
      throw new Error(`A row has ${row.length} values but ${req.columns.length} columns were given`);
    }
  }
  const rows = req.rows.map((row) => row.map(normalizeMysqlValue));
  try {
    await conn.beginTransaction();
    if (req.mode === 'update') await updateRows(conn, table, req, rows);
    else await insertRows(conn, table, req, rows);
    await conn.commit();
  } catch (err) {
    // A session that cannot roll back is in an unknown state: drop it rather than reuse it.
    await conn.rollback().catch(() => conn.destroy());
    throw wrapMysqlError(err);
  }
}
