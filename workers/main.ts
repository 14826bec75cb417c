import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { loadLocalEnvFile } from '@/lib/env-file';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { metadataPool } from '@/lib/engine/metadata-pool';
import { closeCachedConnectors } from '@/lib/engine/connector-cache';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import { startFileIndexing } from './file-indexing';
import { startHeartbeat } from './heartbeat';
import { startHousekeeping } from './housekeeping';
import { startSweeper } from './sweeper';
import { startWorkers } from './start-workers';
import { beginShutdown, workerSettings } from './worker-settings';

loadLocalEnvFile();

const workerId = `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
const { concurrency, lockMs, sweepMs } = workerSettings;

const workers = startWorkers({ workerId, concurrency, lockMs });
const stopHeartbeat = startHeartbeat(workerId, concurrency);
const stopSweeper = startSweeper(workerId, sweepMs, lockMs);
const stopHousekeeping = startHousekeeping(workerId);
const stopFileIndexing = startFileIndexing(workerId);
console.log(`[worker ${workerId}] started (concurrency ${concurrency})`);
void whenReady();

/**
 * Says "ready" once the queue connection and both metadata connections answer, so a
 * supervisor (or the benchmark) knows a job started now pays no connection set-up.
 * Until then jobs still run: BullMQ waits for its own connection.
 */
async function whenReady() {
  try {
    await Promise.all([...workers.map((w) => w.waitUntilReady()), prisma().$queryRaw`SELECT 1`, metadataPool().query('SELECT 1')]);
    console.log(`[worker ${workerId}] ready`);
  } catch (error) {
    console.error(`[worker ${workerId}] not ready: ${(error as Error).message}`);
  }
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[worker ${workerId}] ${signal}: checkpointing the current batches, then exiting`);
  // Processors see the flag at their next batch boundary, checkpoint, and hand their
  // chunk to another worker; close() waits for that.
  beginShutdown();
  stopSweeper();
  stopHousekeeping();
  stopFileIndexing();
  await Promise.allSettled(workers.map((w) => w.close()));
  await stopHeartbeat();
  await Promise.allSettled([closeCachedConnectors(), closeQueue(), closeProducerRedis()]);
  await disconnectPrisma();
  console.log(`[worker ${workerId}] stopped cleanly`);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
