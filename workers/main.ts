import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { loadLocalEnvFile } from '@/lib/env-file';
import { disconnectPrisma } from '@/lib/db/client';
import { closeCachedConnectors } from '@/lib/engine/connector-cache';
import { startHeartbeat } from './heartbeat';
import { startWorkers } from './start-workers';

loadLocalEnvFile();

const workerId = `${os.hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
const concurrency = Number(process.env.WORKER_CONCURRENCY ?? 2);

const workers = startWorkers({ workerId, concurrency });
const stopHeartbeat = startHeartbeat(workerId, concurrency);
console.log(`[worker ${workerId}] started (concurrency ${concurrency})`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[worker ${workerId}] ${signal}: finishing the current batches, then exiting`);
  // close() waits for active jobs; processors checkpoint at batch boundaries.
  await Promise.allSettled(workers.map((w) => w.close()));
  await stopHeartbeat();
  await closeCachedConnectors();
  await disconnectPrisma();
  console.log(`[worker ${workerId}] stopped cleanly`);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
