import { prisma } from '../db/client';
import { producerRedis } from '../queue/redis';

export const WORKER_STALE_AFTER_MS = 30_000;

async function probe(check: () => Promise<unknown>): Promise<{ ok: boolean; error?: string; ms: number }> {
  const started = Date.now();
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 3 s')), 3000))]);
    return { ok: true, ms: Date.now() - started };
  } catch (error) {
    return { ok: false, error: (error as Error).message, ms: Date.now() - started };
  }
}

export async function checkHealth() {
  const [postgres, redis] = await Promise.all([
    probe(() => prisma().$queryRawUnsafe('SELECT 1')),
    probe(() => producerRedis().ping()),
  ]);
  const workers = postgres.ok
    ? await prisma().workerProcess.findMany({
        where: { heartbeatAt: { gte: new Date(Date.now() - WORKER_STALE_AFTER_MS) } },
        select: { id: true, hostname: true, pid: true, concurrency: true, startedAt: true, heartbeatAt: true },
        orderBy: { startedAt: 'asc' },
      })
    : [];
  return { ok: postgres.ok && redis.ok, web: { ok: true }, postgres, redis, workers: { count: workers.length, live: workers } };
}
