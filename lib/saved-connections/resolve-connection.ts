import { prisma } from '../db/client';
import { notFound } from '../errors';
import type { ResolvedConnection } from '../schemas/connection-config';
import { openConnectionPassword } from './connection-password';

/** Server-only: the connection with its password decrypted, ready for a connector. */
export async function resolveConnection(id: string): Promise<ResolvedConnection> {
  const row = await prisma().connection.findUnique({
    where: { id },
    select: {
      kind: true,
      host: true,
      port: true,
      database: true,
      username: true,
      passwordEncrypted: true,
      sslMode: true,
      sslCaCertificate: true,
      schema: true,
      timestampZone: true,
    },
  });
  if (!row) throw notFound('Connection');
  return {
    kind: row.kind,
    host: row.host,
    port: row.port,
    database: row.database,
    username: row.username,
    password: row.passwordEncrypted ? openConnectionPassword(id, row.passwordEncrypted) : null,
    sslMode: row.sslMode,
    sslCaCertificate: row.sslCaCertificate ?? undefined,
    schema: row.schema ?? undefined,
    timestampZone: row.timestampZone,
  };
}
