import { isIP } from 'node:net';
import { canonicalCaCertificate } from '../crypto/ca-certificates';
import { AppError } from '../errors';
import type { ConnectionConfig } from '../schemas/connection-config';

/**
 * The server's checks beyond the shared schema, before a configuration is saved or tested:
 * the CA certificate parsed as X.509 (422 on `sslCaCertificate` otherwise) and made
 * canonical, so it is stored and compared in one form; verify_full towards an IP address
 * refused for MySQL, whose driver cannot check it (mysql/connection.ts).
 */
export function checkedConnectionConfig<T extends ConnectionConfig>(config: T): T {
  if (config.kind === 'mysql' && config.sslMode === 'verify_full' && isIP(config.host.replace(/^\[|\]$/g, '')) !== 0) {
    const message =
      'must be a host name, not an IP address, with SSL mode "verify_full" for MySQL / MariaDB: the MySQL driver cannot check a certificate against an address. Use the name the server\'s certificate is issued for, or SSL mode "verify_ca"';
    throw new AppError('validation_failed', `Host ${message}`, [{ path: 'body.host', message }]);
  }
  return { ...config, sslCaCertificate: canonicalCaCertificate(config.sslCaCertificate) ?? undefined };
}
