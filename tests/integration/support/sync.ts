import type pg from 'pg';
import { disconnectPrisma } from '@/lib/db/client';
import { closeCachedConnectors } from '@/lib/engine/connector-cache';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import type { SpawnedWorker } from './spawn-worker';

/**
 * Ends a sync test: kills its workers, drops the replication slots left in the PostgreSQL
 * source (a forgotten slot keeps WAL on this machine's server for good), closes clients.
 */
export async function closeSyncTest(workers: (SpawnedWorker | undefined)[], pgSource: pg.Client | undefined, sourceDb: string, clients: ({ end(): Promise<void> } | undefined)[]) {
  await Promise.all(workers.map((w) => w?.stop('SIGKILL')));
  if (pgSource) {
    for (const slot of (await pgSource.query(`SELECT slot_name FROM pg_replication_slots WHERE database = $1`, [sourceDb])).rows) {
      await pgSource.query('SELECT pg_drop_replication_slot($1)', [slot.slot_name]).catch(() => undefined);
    }
  }
  for (const client of [pgSource, ...clients]) await client?.end();
  // createSync and startSync describe tables through this process's connector cache: its pools would keep the test alive.
  await closeCachedConnectors();
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
}
