import { decryptSecret } from '../crypto/secret-box';
import { prisma } from '../db/client';
import { env } from '../env';
import { notFound } from '../errors';
import type { ResolvedConnection } from '../schemas/connection-config';

/** Server-only: the connection with its password decrypted, ready for a connector. */
export async function resolveConnection(id: string): Promise<ResolvedConnection> {
  const row = await prisma().connection.findUnique({
    where: { id },
    select: { kind: true, host: true, port: true, database: true, username: true, passwordEncrypted: true, sslMode: true, schema: true, timestampZone: true },
  });
  if (!row) throw notFound('Connection');
  return {
    kind: row.kind,
    host: row.host,
    port: row.port,
    database: row.database,
    username: row.username,
    password: row.passwordEncrypted ? decryptSecret(row.passwordEncrypted, env().FERRY_SECRET_KEY) : null,
    sslMode: row.sslMode,
    schema: row.schema ?? undefined,
    timestampZone: row.timestampZone,
  };
}
