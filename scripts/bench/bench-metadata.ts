import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { createConnection } from '@/lib/saved-connections/save-connection';
import { applyMigrations } from '@/lib/db/apply-migrations';
import { upsertUser } from '@/lib/users/manage-users';
import { PG_URL } from './bench-env';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface BenchMetadata {
  actor: Actor;
  /** Creates a connection to a local database, as the benchmarks' admin. */
  connection: (name: string, kind: 'postgres' | 'mysql', database: string) => Promise<{ id: string }>;
}

/**
 * A benchmark's own metadata database, dropped and migrated again so every run starts
 * without jobs, error rows or reports; its queue emptied in Redis; and an admin.
 */
export async function resetBenchMetadata(database: string, metadataUrl: string, queuePrefix: string): Promise<BenchMetadata> {
  const admin = new pg.Client({ connectionString: PG_URL('postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
  await applyMigrations(metadataUrl, path.join(ROOT, 'prisma/migrations'));

  const redis = new Redis(process.env.REDIS_URL as string, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }

  const user = await upsertUser({ email: 'bench-admin@ferry.test', name: 'Bench Admin', role: 'admin', password: 'bench-admin-password' });
  const actor: Actor = { id: user.id, email: user.email, name: user.name, role: user.role };
  const connection = (name: string, kind: 'postgres' | 'mysql', database: string) =>
    createConnection(actor, {
      name,
      kind,
      host: '127.0.0.1',
      port: kind === 'postgres' ? 5432 : 3306,
      database,
      username: kind === 'postgres' ? 'postgres' : 'root',
      sslMode: 'disable',
      schema: kind === 'postgres' ? 'public' : undefined,
    });
  return { actor, connection };
}
