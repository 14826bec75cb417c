import type mysql from 'mysql2/promise';
import type { RehearsalLimits, WriteBatchRequest } from '../connector';
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

/** The batch's rows checked and normalized for mysql2: a plain Error for a malformed request. */
function prepareRows(req: WriteBatchRequest): unknown[][] {
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
  return req.rows.map((row) => row.map(normalizeMysqlValue));
}

/** The batch's statements, inside the caller's transaction. */
async function writeRows(conn: mysql.PoolConnection, table: string, req: WriteBatchRequest, rows: unknown[][]): Promise<void> {
  if (req.mode === 'update') await updateRows(conn, table, req, rows);
  else await insertRows(conn, table, req, rows);
}

export async function writeMysqlBatch(conn: mysql.PoolConnection, table: string, req: WriteBatchRequest): Promise<void> {
  const rows = prepareRows(req);
  try {
    await conn.beginTransaction();
    await writeRows(conn, table, req, rows);
    await conn.commit();
  } catch (err) {
    // A session that cannot roll back is in an unknown state: drop it rather than reuse it.
    await conn.rollback().catch(() => conn.destroy());
    throw wrapMysqlError(err);
  }
}

/**
 * A rehearsal (Connector.rehearseWrites) on one session: its limits, autocommit off, one
 * transaction, and, whatever happens, a rollback, after which the session is closed rather
 * than handed back to the pool: a statement still on its way could not commit there.
 * With autocommit off, even an error that ended the transaction (a deadlock) leaves a later
 * write in a new transaction instead of committing it. Only DML runs inside: MariaDB
 * commits the open transaction before any DDL statement. innodb_lock_wait_timeout counts
 * whole seconds; a statement limit exists on MariaDB only (max_statement_time; MySQL's
 * max_execution_time covers SELECT alone).
 */
export async function inMysqlRehearsal<T>(conn: mysql.PoolConnection, limits: RehearsalLimits, isMariaDb: boolean, work: () => Promise<T>): Promise<T> {
  const lockWait = Math.max(1, Math.ceil(limits.lockTimeoutMs / 1000));
  try {
    await conn.query(
      `SET SESSION autocommit = 0, innodb_lock_wait_timeout = ?${isMariaDb ? ', max_statement_time = ?' : ''}`,
      isMariaDb ? [lockWait, Math.max(0.001, limits.statementTimeoutMs / 1000)] : [lockWait],
    );
    await conn.beginTransaction();
    return await work();
  } finally {
    // A session closed without a commit rolls back anyway: the explicit rollback is for clarity.
    await conn.rollback().catch(() => undefined);
    conn.destroy();
  }
}

/**
 * One write of a rehearsal: writeMysqlBatch's statements, all or nothing inside the open
 * transaction (a savepoint), so a refused write leaves the earlier ones in place.
 */
export async function writeMysqlBatchInSavepoint(conn: mysql.PoolConnection, table: string, req: WriteBatchRequest): Promise<void> {
  const rows = prepareRows(req);
  await conn.query('SAVEPOINT ferry_rehearsal');
  try {
    await writeRows(conn, table, req, rows);
  } catch (err) {
    // A deadlock has rolled back the whole transaction, savepoint included: its error says
    // nothing about rows and ends the rehearsal, which rolls back anyway.
    await conn.query('ROLLBACK TO SAVEPOINT ferry_rehearsal').catch(() => undefined);
    throw wrapMysqlError(err);
  }
  await conn.query('RELEASE SAVEPOINT ferry_rehearsal');
}
