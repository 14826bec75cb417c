import type { ResolvedConnection } from '../../schemas/connection-config';
import { type ConnectionFailure, authFailed, classifyNetwork, fieldsOf, tlsRequired, tlsUnavailable } from '../classify-connection-error';

/** A failed MySQL / MariaDB connection attempt as a code and a sentence (see classify-connection-error.ts). */
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
