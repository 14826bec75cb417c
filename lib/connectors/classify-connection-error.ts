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

/** OpenSSL's verification failures of the server's chain, as Node reports them. */
const TLS_CHAIN_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
]);

const chainMeaning: Record<string, string> = {
  CERT_HAS_EXPIRED: 'has expired',
  CERT_NOT_YET_VALID: 'is not valid yet (check both clocks)',
  CERT_REVOKED: 'has been revoked',
};

/**
 * mysql2 replaces the TLS error's code with HANDSHAKE_SSL_ERROR and keeps OpenSSL's
 * sentence: the sentence gives the code back.
 */
const OPENSSL_SENTENCES: [RegExp, string][] = [
  [/^unable to verify the first certificate/, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  [/^self[- ]signed certificate in certificate chain/, 'SELF_SIGNED_CERT_IN_CHAIN'],
  [/^self[- ]signed certificate/, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  [/^unable to get local issuer certificate/, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
  [/^unable to get issuer certificate/, 'UNABLE_TO_GET_ISSUER_CERT'],
  [/^certificate has expired/, 'CERT_HAS_EXPIRED'],
  [/^certificate is not yet valid/, 'CERT_NOT_YET_VALID'],
  [/^certificate signature failure/, 'CERT_SIGNATURE_FAILURE'],
  [/^certificate revoked/, 'CERT_REVOKED'],
  [/^invalid CA certificate/, 'INVALID_CA'],
  [/^unsupported certificate purpose/, 'INVALID_PURPOSE'],
  [/^Hostname\/IP does not match certificate's altnames/, 'ERR_TLS_CERT_ALTNAME_INVALID'],
];

function tlsCodeOf(e: ErrorFields): string | undefined {
  if (e.code !== 'HANDSHAKE_SSL_ERROR') return e.code;
  return OPENSSL_SENTENCES.find(([sentence]) => sentence.test(e.message))?.[1] ?? e.code;
}

/** verify_ca / verify_full refused the certificate: say which check failed and what to do. */
function certificateRefused(e: ErrorFields, c: ResolvedConnection): ConnectionFailure | null {
  // The certificate is checked before any credential goes out, so every refusal can say so.
  const notSent = 'the password was not sent';
  if (e.code === 'ERR_TLS_CERT_ALTNAME_INVALID' || e.code === 'HOSTNAME_MISMATCH') {
    // Node's reason names the host and the certificate's names ("Host: x. is not in the cert's altnames: DNS:y").
    return {
      code: 'tls_unverified',
      message: `The server's TLS certificate is not issued for "${c.host}" (${e.message}); connect by a name the certificate lists, or use SSL mode "verify_ca" to check only its authority; ${notSent}`,
    };
  }
  if (e.code && chainMeaning[e.code]) {
    return { code: 'tls_unverified', message: `The server's TLS certificate ${chainMeaning[e.code]} (${e.code}); ${notSent}` };
  }
  if (e.code && TLS_CHAIN_CODES.has(e.code)) {
    return {
      code: 'tls_unverified',
      message: c.sslCaCertificate
        ? `The server's TLS certificate is not signed by the CA certificate of this connection (${e.code}: ${e.message}): either that CA did not sign the server's certificate, or another server is answering at ${c.host}:${c.port}; ${notSent}`
        : `The server's TLS certificate is not signed by an authority this Ferry server trusts (system CAs) (${e.code}: ${e.message}); paste the certificate of the authority that signed it as CA certificate; ${notSent}`,
    };
  }
  return null;
}

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
  return certificateRefused({ ...e, code: tlsCodeOf(e) }, c);
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
  message: 'The server only accepts encrypted (TLS) connections; set SSL mode to "verify_full" (or "verify_ca", or "require", which does not check the certificate)',
};
