import type { ResolvedConnection } from '../../schemas/connection-config';
import { type ConnectionFailure, authFailed, classifyNetwork, fieldsOf, tlsRequired, tlsUnavailable } from '../classify-connection-error';

/** A failed PostgreSQL connection attempt as a code and a sentence (see classify-connection-error.ts). */
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
