import os from 'node:os';
import { prisma } from '@/lib/db/client';

/**
 * Each worker process keeps a row fresh in PostgreSQL, so the health endpoint and
 * metrics can count live workers without asking Redis.
 */
export function startHeartbeat(workerId: string, concurrency: number, everyMs = 5000): () => Promise<void> {
  const beat = () =>
    prisma()
      .workerProcess.upsert({
        where: { id: workerId },
        create: { id: workerId, hostname: os.hostname(), pid: process.pid, concurrency },
        update: { heartbeatAt: new Date() },
      })
      .catch((error: Error) => console.error(`[worker ${workerId}] heartbeat failed: ${error.message}`));
  void beat();
  const timer = setInterval(beat, everyMs);
  return async () => {
    clearInterval(timer);
    await prisma().workerProcess.delete({ where: { id: workerId } }).catch(() => undefined);
  };
}
