import { isIP } from 'node:net';
import mysqlCore from 'mysql2';
import mysql from 'mysql2/promise';
import type { ResolvedConnection } from '../../schemas/connection-config';
import { remainingMs, runConnectionTest } from '../connection-test';
import type { ConnectionTestResult } from '../connector';
import { classifyMysqlError } from './classify-error';
import { wrapMysqlError } from './wrap-error';

/**
 * Connection handling for MySQL 8 and MariaDB 10.11: TLS per SSL mode, the lazily created
 * pool with per-session setup, and the self-contained connection test.
 */

type MysqlSsl = mysql.SslOptions | undefined;

/**
 * disable → plain TCP; require → TLS without verification; verify_ca → TLS verifying the
 * chain against the connection's CA certificate (the system CAs when none is given), not
 * the host name; verify_full → the chain and the host name (IP addresses against the
 * certificate's IP entries). A given CA replaces the system CAs. mysql2 has no "prefer": we
 * try TLS first and fall back to plain TCP only when the server says it has no TLS
 * (HANDSHAKE_NO_SSL_SUPPORT).
 */
function sslFor(c: ResolvedConnection): MysqlSsl {
  const ca = c.sslCaCertificate || undefined;
  switch (c.sslMode) {
    case 'disable':
      return undefined;
    case 'prefer':
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify_ca':
      return { rejectUnauthorized: true, verifyIdentity: false, ca };
    case 'verify_full':
      return { rejectUnauthorized: true, verifyIdentity: true, ca };
  }
}

/**
 * mysql2 checks a certificate's names against "localhost" when the host is an IP address
 * (it neither passes the address to Node's check nor sets a server name), so verify_full
 * could not tell one server from another there. Refused rather than pretended; the
 * configuration check says so on the host field (checked-config.ts).
 */
export const MYSQL_IP_IDENTITY_UNSUPPORTED =
  'SSL mode "verify_full" needs a host name for MySQL / MariaDB: the MySQL driver cannot check a certificate against an IP address. Use the name the server\'s certificate is issued for, or SSL mode "verify_ca"';

const identityUncheckable = (c: ResolvedConnection) => c.sslMode === 'verify_full' && isIP(c.host) !== 0;

const isNoTlsSupport = (err: unknown): boolean =>
  err instanceof Error && (err as Error & { code?: string }).code === 'HANDSHAKE_NO_SSL_SUPPORT';

export function baseOptions(c: ResolvedConnection): mysql.ConnectionOptions {
  return {
    host: c.host,
    port: c.port,
    user: c.username,
    password: c.password ?? undefined,
    database: c.database,
    // BIGINT and DECIMAL as exact strings (JS numbers would round above 2^53 and lose scale).
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    // DATE/DATETIME/TIMESTAMP as the stored text ('YYYY-MM-DD HH:MM:SS'): no time-zone shift in Node.
    dateStrings: true,
    // JS Dates given to writes are rendered in UTC, matching the session time zone below.
    timezone: 'Z',
  };
}

/**
 * Run once on every pooled session before its first use:
 * - time_zone UTC: TIMESTAMP columns read, write and hash the same whatever the server zone;
 * - STRICT_ALL_TABLES: a NOT NULL violation or an over-long value is an error, not a warning
 *   with silently altered data;
 * - no NO_BACKSLASH_ESCAPES: mysql2 escapes string values with backslashes;
 * - MariaDB only (/*M! comment): a statement timeout against hung queries, as for PostgreSQL.
 */
const SESSION_SETUP =
  "SET time_zone = '+00:00', sql_mode = CONCAT(REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', ''), ',STRICT_ALL_TABLES')" +
  ' /*M!100108 , max_statement_time = 1800 */';

export function serverVersionText(version: string): string {
  return version.includes('MariaDB') ? `MariaDB ${version.replace(/-MariaDB.*$/, '')}` : `MySQL ${version}`;
}

export function testMysqlConnection(c: ResolvedConnection, timeoutMs: number): Promise<ConnectionTestResult> {
  if (identityUncheckable(c)) return Promise.resolve({ ok: false, code: 'tls_unverified', message: MYSQL_IP_IDENTITY_UNSUPPORTED });
  const connections: mysqlCore.Connection[] = [];
  const attemptWith = async (ssl: MysqlSsl, deadline: number): Promise<string> => {
    // A connection of its own (not the pool); the callback API so it can be destroyed mid-handshake.
    const conn = mysqlCore.createConnection({ ...baseOptions(c), ssl, connectTimeout: remainingMs(deadline) });
    conn.on('error', () => undefined); // errors also reach the query below; late ones are irrelevant
    connections.push(conn);
    try {
      // Handshake failures are delivered to the first queued query.
      const [rows] = await conn.promise().query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
      return serverVersionText(String(rows[0].v));
    } finally {
      conn.destroy();
    }
  };
  return runConnectionTest(
    timeoutMs,
    async (deadline) => {
      try {
        return await attemptWith(sslFor(c), deadline);
      } catch (err) {
        if (c.sslMode === 'prefer' && isNoTlsSupport(err)) return attemptWith(undefined, deadline);
        throw err;
      }
    },
    () => connections.forEach((conn) => conn.destroy()),
    (err) => classifyMysqlError(err, c, timeoutMs),
  );
}

/** For "prefer": one probe connection decides whether the pool uses TLS. */
export async function resolvePoolSsl(c: ResolvedConnection): Promise<MysqlSsl> {
  if (identityUncheckable(c)) throw new Error(MYSQL_IP_IDENTITY_UNSUPPORTED);
  const ssl = sslFor(c);
  if (c.sslMode !== 'prefer') return ssl;
  try {
    const probe = await mysql.createConnection({ ...baseOptions(c), ssl, connectTimeout: 10_000 });
    await probe.end();
    return ssl;
  } catch (err) {
    if (isNoTlsSupport(err)) return undefined;
    throw wrapMysqlError(err);
  }
}

/** A small pool created on first use; every session is set up before it is handed out. */
export class MysqlPool {
  private pool: Promise<mysql.Pool> | null = null;
  private readonly prepared = new WeakSet<object>();
  /** Learned from the first session: MariaDB and MySQL differ in a few catalog tables. */
  isMariaDb = false;

  constructor(private readonly connection: ResolvedConnection) {}

  private get(): Promise<mysql.Pool> {
    if (!this.pool) {
      const created = resolvePoolSsl(this.connection).then((ssl) =>
        mysql.createPool({
          ...baseOptions(this.connection),
          ssl,
          connectionLimit: 4,
          maxIdle: 4,
          idleTimeout: 30_000,
          connectTimeout: 10_000,
          enableKeepAlive: true,
        }),
      );
      created.catch(() => {
        this.pool = null; // let the next call retry instead of caching a failure
      });
      this.pool = created;
    }
    return this.pool;
  }

  /**
   * Runs `fn` on one session (needed for transactions) and releases it afterwards.
   * `fn` may destroy the session (e.g. when a rollback failed); releasing it is then a no-op.
   */
  async withConnection<T>(fn: (conn: mysql.PoolConnection) => Promise<T>): Promise<T> {
    const pool = await this.get();
    const conn = await pool.getConnection().catch((err: unknown) => {
      throw wrapMysqlError(err);
    });
    try {
      if (!this.prepared.has(conn.connection)) {
        const [, [rows]] = await Promise.all([
          conn.query(SESSION_SETUP),
          conn.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v'),
        ]);
        this.isMariaDb = String(rows[0].v).includes('MariaDB');
        this.prepared.add(conn.connection);
      }
      return await fn(conn);
    } finally {
      conn.release();
    }
  }

  async query<R>(sql: string, values: unknown[] = [], rowsAsArray = false): Promise<R[]> {
    try {
      return await this.withConnection(async (conn) => {
        const [rows] = await conn.query<mysql.RowDataPacket[]>({ sql, values, rowsAsArray });
        return rows as unknown as R[];
      });
    } catch (err) {
      throw wrapMysqlError(err);
    }
  }

  async close(): Promise<void> {
    const pending = this.pool;
    this.pool = null;
    if (!pending) return;
    const pool = await pending.catch(() => null);
    await pool?.end();
  }
}
