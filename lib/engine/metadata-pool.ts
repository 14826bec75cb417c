import pg from 'pg';
import { env } from '../env';

const globalForPool = globalThis as unknown as { ferryMetadataPool?: pg.Pool };

/**
 * A plain node-postgres pool on the metadata database, for the one statement every batch
 * runs (the checkpoint): through Prisma, its large array parameters (hundreds of error
 * rows) cost more CPU in the query layer than the database spends on them. Everything
 * else keeps using Prisma. Idle connections never keep a process alive.
 */
export function metadataPool(): pg.Pool {
  if (!globalForPool.ferryMetadataPool) {
    const pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: 4, idleTimeoutMillis: 30_000, allowExitOnIdle: true });
    // A connection dying while idle (a database restart) must not crash the worker.
    pool.on('error', () => undefined);
    globalForPool.ferryMetadataPool = pool;
  }
  return globalForPool.ferryMetadataPool;
}
