import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { ResolvedConnection } from '../../schemas/connection-config';
import { remainingMs, runConnectionTest } from '../connection-test';
import type { ConnectionTestResult } from '../connector';
import { classifyPostgresError } from './classify-error';
import { wrapPgError } from './wrap-error';

/**
 * Connection handling for PostgreSQL: TLS options per SSL mode, the lazily created pool,
 * and the self-contained connection test.
 */

type PgSsl = false | ConnectionOptions;

/** Guards against a hung query; generous because split planning scans a whole table. */
const STATEMENT_TIMEOUT_MS = 30 * 60 * 1000;

/**
 * SSL modes. node-postgres has no "prefer", so prefer first tries TLS without verification
 * and falls back to plain TCP only when the server answers that it does not support TLS
 * (never on other errors, so a TLS-capable server is never silently used unencrypted).
 * require encrypts but accepts any certificate. verify_ca checks the chain against the
 * connection's CA certificate (the system CAs when none is given) but not the host name;
 * verify_full checks both (Node's default identity check, which also matches IP addresses
 * against the certificate's IP entries). A given CA replaces the system CAs: only it is trusted.
 */
export function sslFor(c: ResolvedConnection): PgSsl {
  const ca = c.sslCaCertificate || undefined;
  switch (c.sslMode) {
    case 'disable':
      return false;
    case 'prefer':
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify_ca':
      return { rejectUnauthorized: true, ca, checkServerIdentity: () => undefined };
    case 'verify_full':
      return { rejectUnauthorized: true, ca };
  }
}

export const isNoTlsSupport = (err: unknown): boolean =>
  err instanceof Error && err.message.includes('does not support SSL connections');

/**
 * date, timestamp and timestamptz stay the server's text ("2024-05-01 10:00:00.123456"):
 * pg would build a JS Date, shifting `timestamp` by the process time zone and dropping
 * microseconds — fatal for keyset pagination on a timestamp key. interval stays text too
 * (pg's interval object keeps milliseconds and does not write itself back through COPY),
 * and arrays of these types are lists of such texts. int8 and numeric are already strings
 * in pg (no precision loss); everything else keeps pg's default parsing.
 */
const RAW_TEXT_TYPES = new Set<number>([1082, 1114, 1184, 1186]);
/** date[], timestamp[], timestamptz[], interval[]: parsed as text[] (oid 1009) is. */
const TEXT_ARRAY_TYPES = new Set<number>([1182, 1115, 1185, 1187]);
export const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    RAW_TEXT_TYPES.has(oid)
      ? (value: string) => value
      : pg.types.getTypeParser(TEXT_ARRAY_TYPES.has(oid) ? 1009 : oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export function baseConfig(c: ResolvedConnection): pg.ClientConfig {
  return {
    host: c.host,
    port: c.port,
    database: c.database,
    user: c.username,
    password: c.password ?? undefined,
    application_name: 'ferry',
    types: typeParsers,
  };
}

/**
 * Session settings that make text output (and so hashRange's row text) independent of
 * the server's and role's defaults. Set with SET rather than startup options so that
 * connection poolers that reject startup parameters still work.
 */
const SESSION_SETUP =
  "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; " +
  `SET extra_float_digits = 1; SET bytea_output = 'hex'; SET statement_timeout = ${STATEMENT_TIMEOUT_MS}; ` +
  'SET idle_in_transaction_session_timeout = 300000';

async function serverVersion(client: pg.Client): Promise<string> {
  const result = await client.query<{ server_version: string }>('SHOW server_version');
  return `PostgreSQL ${result.rows[0].server_version}`;
}

export function testPostgresConnection(c: ResolvedConnection, timeoutMs: number): Promise<ConnectionTestResult> {
  const clients: pg.Client[] = [];
  const attemptWith = async (ssl: PgSsl, deadline: number): Promise<string> => {
    const ms = remainingMs(deadline);
    // A client of its own, not the pool: a test must not be queued behind pool work.
    const client = new pg.Client({ ...baseConfig(c), ssl, connectionTimeoutMillis: ms, query_timeout: ms });
    client.on('error', () => undefined); // late socket errors after we gave up are irrelevant
    clients.push(client);
    try {
      await client.connect();
      return await serverVersion(client);
    } finally {
      client.end().catch(() => undefined);
    }
  };
  return runConnectionTest(
    timeoutMs,
    async (deadline) => {
      try {
        return await attemptWith(sslFor(c), deadline);
      } catch (err) {
        if (c.sslMode === 'prefer' && isNoTlsSupport(err)) return attemptWith(false, deadline);
        throw err;
      }
    },
    () => clients.forEach((client) => client.end().catch(() => undefined)),
    (err) => classifyPostgresError(err, c, timeoutMs),
  );
}

/** For "prefer": one probe connection decides whether the pool uses TLS. */
async function resolvePoolSsl(c: ResolvedConnection): Promise<PgSsl> {
  const ssl = sslFor(c);
  if (c.sslMode !== 'prefer') return ssl;
  const probe = new pg.Client({ ...baseConfig(c), ssl, connectionTimeoutMillis: 10_000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return ssl;
  } catch (err) {
    if (isNoTlsSupport(err)) return false;
    throw wrapPgError(err);
  } finally {
    await probe.end().catch(() => undefined);
  }
}

/** A small pool created on first use; every session is set up before it is handed out. */
export class PostgresPool {
  private pool: Promise<pg.Pool> | null = null;
  private readonly prepared = new WeakSet<pg.PoolClient>();

  constructor(private readonly connection: ResolvedConnection) {}

  get(): Promise<pg.Pool> {
    if (!this.pool) {
      const created = resolvePoolSsl(this.connection).then((ssl) => {
        const pool = new pg.Pool({
          ...baseConfig(this.connection),
          ssl,
          max: 4,
          idleTimeoutMillis: 30_000,
          connectionTimeoutMillis: 10_000,
          allowExitOnIdle: true,
        });
        // An idle client dying (server restart) must not crash the worker; the pool drops it.
        pool.on('error', () => undefined);
        return pool;
      });
      created.catch(() => {
        this.pool = null; // let the next call retry instead of caching a failure
      });
      this.pool = created;
    }
    return this.pool;
  }

  /**
   * Runs `fn` on one client (needed for transactions). The session setup runs first on a
   * new client — awaited here rather than queued from the pool's 'connect' event, because
   * pg deprecates queueing a query while another is running. `fn` calls `discard` when the
   * client is in an unknown state (e.g. a failed ROLLBACK) so it is destroyed, not reused.
   */
  async withClient<T>(fn: (client: pg.PoolClient, discard: (reason: Error) => void) => Promise<T>): Promise<T> {
    const pool = await this.get();
    const client = await pool.connect().catch((err: unknown) => {
      throw wrapPgError(err);
    });
    let discarded: Error | undefined;
    // pg-pool listens for errors only on idle clients: a connection cut while this client
    // is checked out would otherwise be an unhandled 'error' event and kill the worker.
    // The error also rejects the running query; here it only marks the client as broken.
    const onError = (err: Error) => {
      discarded ??= err;
    };
    client.on('error', onError);
    try {
      if (!this.prepared.has(client)) {
        await client.query(SESSION_SETUP);
        this.prepared.add(client);
      }
      return await fn(client, (reason) => {
        discarded = reason;
      });
    } finally {
      client.removeListener('error', onError);
      // A late error after release lands on the pool's idle listener.
      client.release(discarded);
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
