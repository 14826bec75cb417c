import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { type ConnectionConfig, sslModeStrength, verifyingSslModes } from '../schemas/connection-config';

/** What a stored password was saved for: it is only ever sent there. */
const boundFields = ['kind', 'host', 'port', 'database', 'username'] as const;

const verifies = (mode: ConnectionConfig['sslMode']) => (verifyingSslModes as readonly string[]).includes(mode);

/**
 * A stored password is reused (test, save without retyping it) only with the kind, host,
 * port, database and user it was saved for, and under TLS at least as strict as it was
 * saved with. Anyone able to edit a connection could otherwise point it at a listener of
 * their own, or keep the host and weaken TLS (require instead of verify_full, or a CA of
 * their own) to read it in between; after such a change the password must be typed again
 * (422 on `password`).
 *
 * `config.sslCaCertificate` must already be canonical (canonicalCaCertificate), as stored.
 */
export async function assertStoredPasswordFits(savedId: string, config: ConnectionConfig): Promise<void> {
  if (config.password) return;
  const stored = await prisma().connection.findUnique({
    where: { id: savedId },
    select: { kind: true, host: true, port: true, database: true, username: true, sslMode: true, sslCaCertificate: true, passwordEncrypted: true },
  });
  if (!stored) throw notFound('Connection');
  if (!stored.passwordEncrypted) return;
  const same = (field: (typeof boundFields)[number]) =>
    field === 'host' ? stored.host.toLowerCase() === config.host.toLowerCase() : String(stored[field]) === String(config[field]);
  const changed: string[] = boundFields.filter((field) => !same(field));
  if (sslModeStrength[config.sslMode] < sslModeStrength[stored.sslMode]) {
    changed.push(`the SSL mode is weaker (${stored.sslMode} → ${config.sslMode})`);
  } else if (verifies(stored.sslMode) && verifies(config.sslMode) && (stored.sslCaCertificate ?? null) !== (config.sslCaCertificate ?? null)) {
    // Another authority (or the system's instead of a pinned one) could vouch for an impostor.
    changed.push('the CA certificate');
  }
  if (changed.length === 0) return;
  const message = `must be entered again: the stored password is only sent to ${stored.host}:${stored.port} as ${stored.username} with SSL mode ${stored.sslMode} or stricter, and ${changed.join(', ')} changed`;
  throw new AppError('validation_failed', `Password ${message}`, [{ path: 'body.password', message }]);
}
