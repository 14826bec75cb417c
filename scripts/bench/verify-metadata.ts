import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { createConnection } from '@/lib/connections/save-connection';
import { applyMigrations } from '@/lib/db/apply-migrations';
import { createMapping } from '@/lib/mappings/save-mapping';
import { mappingSpecSchema } from '@/lib/schemas/mapping-spec';
import { upsertUser } from '@/lib/users/manage-users';
import { PG_URL } from './bench-env';
import { FIELD_PAIRS } from './verify-data';
import { VERIFY_BENCH } from './verify-env';

export type VerifySource = 'postgres' | 'mariadb';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * A fresh metadata database (dropped and migrated, so every run starts without jobs or
 * reports), the benchmark's queue emptied in Redis, an admin, and one mapping per source:
 * customers → contacts with plain copies and one cast (vip 0/1 → boolean), so the
 * in-database fast path applies.
 */
export async function prepareVerifyMetadata(sources: VerifySource[]): Promise<{ actor: Actor; mappings: Record<VerifySource, string> }> {
  const admin = new pg.Client({ connectionString: PG_URL('postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${VERIFY_BENCH.metadataDatabase} WITH (FORCE)`);
  await admin.end();
  await applyMigrations(VERIFY_BENCH.metadataUrl, path.join(ROOT, 'prisma/migrations'));

  const redis = new Redis(process.env.REDIS_URL as string, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${VERIFY_BENCH.queuePrefix}:*`, 'COUNT', 1000);
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
  const target = await connection('verify bench target (PostgreSQL)', 'postgres', VERIFY_BENCH.target);
  const mappings = {} as Record<VerifySource, string>;
  for (const source of sources) {
    const from = source === 'postgres'
      ? await connection('verify bench source (PostgreSQL)', 'postgres', VERIFY_BENCH.source)
      : await connection('verify bench source (MariaDB)', 'mysql', VERIFY_BENCH.sourceMaria);
    const mapping = await createMapping(actor, {
      name: `verify bench customers → contacts (${source})`,
      sourceConnectionId: from.id,
      targetConnectionId: target.id,
      spec: mappingSpecSchema.parse({
        source: { table: 'customers', key: ['cust_id'] },
        target: { table: 'contacts', key: ['id'] },
        fields: FIELD_PAIRS.map(({ target: t, source: s }) => (t === 'vip' ? { target: t, sources: [s], transforms: [{ op: 'cast', to: 'boolean' }] } : { target: t, sources: [s] })),
      }),
    });
    mappings[source] = mapping.id;
  }
  return { actor, mappings };
}
