import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import type { ConnectionConfig } from '../schemas/connection-config';

/** What a stored password was saved for: it is only ever sent there. */
const boundFields = ['kind', 'host', 'port', 'database', 'username'] as const;

/**
 * A stored password is reused (test, save without retyping it) only with the kind, host,
 * port, database and user it was saved for. Anyone able to edit a connection could
 * otherwise point it at a listener of their own and receive the password in clear; after
 * such a change the password must be typed again (422 on `password`).
 */
export async function assertStoredPasswordFits(savedId: string, config: ConnectionConfig): Promise<void> {
  if (config.password) return;
  const stored = await prisma().connection.findUnique({
    where: { id: savedId },
    select: { kind: true, host: true, port: true, database: true, username: true, passwordEncrypted: true },
  });
  if (!stored) throw notFound('Connection');
  if (!stored.passwordEncrypted) return;
  const same = (field: (typeof boundFields)[number]) =>
    field === 'host' ? stored.host.toLowerCase() === config.host.toLowerCase() : String(stored[field]) === String(config[field]);
  const changed = boundFields.filter((field) => !same(field));
  if (changed.length === 0) return;
  const message = `must be entered again: the stored password is only sent to ${stored.host}:${stored.port} as ${stored.username}, and ${changed.join(', ')} changed`;
  throw new AppError('validation_failed', `Password ${message}`, [{ path: 'body.password', message }]);
}
