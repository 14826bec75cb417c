import type { ConnectionFailureCode } from './connector';
import type { ResolvedConnection } from '../schemas/connection-config';

/**
 * Turns a driver error from a connection attempt into a stable code and a sentence an
 * analyst can act on. Codes are read from the drivers' structured fields (SQLSTATE, MySQL
 * errno, Node socket codes) first and from message text only where drivers give nothing else.
 */

export interface ConnectionFailure {
  code: ConnectionFailureCode;
  message: string;
}

/** Thrown by our own deadline timer, so it classifies as `timeout`. */
export class ConnectionTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(readonly timeoutMs: number) {
    super(`No answer within ${timeoutMs} ms`);
    this.name = 'ConnectionTimeoutError';
  }
}

interface ErrorFields {
  message: string;
  code?: string;
  errno?: number;
}

function fieldsOf(err: unknown): ErrorFields {
  if (!(err instanceof Error)) return { message: String(err) };
  // Node's happy-eyeballs connect reports an AggregateError whose first entry holds the code.
  if (err instanceof AggregateError && err.errors.length > 0 && !('code' in err && err.code)) {
    return fieldsOf(err.errors[0]);
  }
  const record = err as Error & { code?: unknown; errno?: unknown };
  return {
    message: err.message,
    code: typeof record.code === 'string' ? record.code : undefined,
    errno: typeof record.errno === 'number' ? record.errno : undefined,
  };
}

const TLS_VERIFY_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Failures every driver reports the same way: sockets, DNS, TLS verification, our timer. */
function classifyNetwork(e: ErrorFields, c: ResolvedConnection, timeoutMs: number): ConnectionFailure | null {
  const where = `${c.host}:${c.port}`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return { code: 'host_unreachable', message: `Connection refused by ${where}: no database server is listening there` };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { code: 'host_unreachable', message: `Host name "${c.host}" could not be resolved` };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { code: 'host_unreachable', message: `Host ${c.host} is not reachable from this server (no route)` };
    case 'ETIMEDOUT':
      return { code: 'timeout', message: `No answer from ${where} within ${timeoutMs} ms` };
  }
  if (e.code && TLS_VERIFY_CODES.has(e.code)) {
    return {
      code: 'unknown',
      message: `The server's TLS certificate could not be verified (${e.code}); SSL mode "require" encrypts without verifying`,
    };
  }
  return null;
}

/** The authentication sentence is the same for both databases on purpose. */
const authFailed = (c: ResolvedConnection): ConnectionFailure => ({
  code: 'auth_failed',
  message: `Authentication failed for user ${c.username}: wrong user name or password`,
});

const tlsUnavailable = (c: ResolvedConnection): ConnectionFailure => ({
  code: 'tls_unavailable',
  message: `The server does not support TLS, but SSL mode is "${c.sslMode}"; use "prefer" or "disable" to connect without encryption`,
});

const tlsRequired: ConnectionFailure = {
  code: 'tls_required',
  message: 'The server only accepts encrypted (TLS) connections; set SSL mode to "require" or "verify_full"',
};

export function classifyPostgresError(err: unknown, c: ResolvedConnection, timeoutMs: number): ConnectionFailure {
  const e = fieldsOf(err);
  const network = classifyNetwork(e, c, timeoutMs);
  if (network) return network;
  // pg's own connect timer ("timeout expired") and pool wording.
  if (/timeout expired|connection timeout|timeout exceeded/i.test(e.message)) {
    return { code: 'timeout', message: `No answer from ${c.host}:${c.port} within ${timeoutMs} ms` };
  }
  if (e.message.includes('does not support SSL')) return tlsUnavailable(c);
  if (/password must be a string/i.test(e.message)) {
    return { code: 'auth_failed', message: `The server asks for a password for user ${c.username}, but none is stored` };
  }
  switch (e.code) {
    case '28P01': // invalid_password
      return authFailed(c);
    case '28000': // invalid_authorization_specification: unknown role or pg_hba.conf rejection
      if (/no encryption/i.test(e.message)) return tlsRequired;
      if (/pg_hba\.conf/i.test(e.message)) {
        return { code: 'auth_failed', message: `The server's pg_hba.conf does not allow user ${c.username} to connect from this host` };
      }
      return authFailed(c);
    case '3D000': // invalid_catalog_name
      return { code: 'unknown_database', message: `Database "${c.database}" does not exist on ${c.host}:${c.port}` };
  }
  return { code: 'unknown', message: e.message || 'Connection failed for an unknown reason' };
}

export function classifyMysqlError(err: unknown, c: ResolvedConnection, timeoutMs: number): ConnectionFailure {
  const e = fieldsOf(err);
  const network = classifyNetwork(e, c, timeoutMs);
  if (network) return network;
  if (e.code === 'HANDSHAKE_NO_SSL_SUPPORT') return tlsUnavailable(c);
  // MySQL 3159 ER_SECURE_TRANSPORT_REQUIRED; MariaDB words it the same way.
  if (e.errno === 3159 || /insecure transport/i.test(e.message)) return tlsRequired;
  switch (e.errno) {
    case 1045: // ER_ACCESS_DENIED_ERROR
      return authFailed(c);
    case 1044: // ER_DBACCESS_DENIED_ERROR: also what a user without rights sees for a missing database
      return {
        code: 'auth_failed',
        message: `User ${c.username} may not access database "${c.database}" (or it does not exist)`,
      };
    case 1130: // ER_HOST_NOT_PRIVILEGED
      return { code: 'auth_failed', message: `The server does not accept connections from this host for user ${c.username}` };
    case 1049: // ER_BAD_DB_ERROR
      return { code: 'unknown_database', message: `Database "${c.database}" does not exist on ${c.host}:${c.port}` };
  }
  return { code: 'unknown', message: e.message || 'Connection failed for an unknown reason' };
}
