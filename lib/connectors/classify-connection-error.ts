import type { ConnectionFailureCode } from './connector';
import type { ResolvedConnection } from '../schemas/connection-config';

/**
 * Turns a driver error from a connection attempt into a stable code and a sentence an
 * analyst can act on. Codes are read from the drivers' structured fields (SQLSTATE, MySQL
 * errno, Node socket codes) first and from message text only where drivers give nothing else.
 *
 * What every driver reports alike is classified here; each database's classify-error.ts
 * reads its own driver's fields.
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

export interface ErrorFields {
  message: string;
  code?: string;
  errno?: number;
}

/** The fields the classifiers read, from any driver's error. */
export function fieldsOf(err: unknown): ErrorFields {
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
export function classifyNetwork(e: ErrorFields, c: ResolvedConnection, timeoutMs: number): ConnectionFailure | null {
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
export const authFailed = (c: ResolvedConnection): ConnectionFailure => ({
  code: 'auth_failed',
  message: `Authentication failed for user ${c.username}: wrong user name or password`,
});

export const tlsUnavailable = (c: ResolvedConnection): ConnectionFailure => ({
  code: 'tls_unavailable',
  message: `The server does not support TLS, but SSL mode is "${c.sslMode}"; use "prefer" or "disable" to connect without encryption`,
});

export const tlsRequired: ConnectionFailure = {
  code: 'tls_required',
  message: 'The server only accepts encrypted (TLS) connections; set SSL mode to "require" or "verify_full"',
};
