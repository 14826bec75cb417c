import { prisma } from '../db/client';
import { liveWorkerCutoff } from '../jobs/worker-liveness';
import { producerRedis } from '../queue/redis';
import { judgeHealth, type ProbeResult } from './judge-health';

async function probe(check: () => Promise<unknown>): Promise<ProbeResult> {
  const started = Date.now();
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 3 s')), 3000))]);
    return { ok: true, ms: Date.now() - started };
  } catch (error) {
    return { ok: false, error: (error as Error).message, ms: Date.now() - started };
  }
}

/**
 * The web app, PostgreSQL, Redis and the workers as seen from here. `ok` is true only when
 * nothing is wrong (status "ok"); `problems` says what is wrong otherwise.
 */
export async function checkHealth() {
  const [postgres, redis] = await Promise.all([
    probe(() => prisma().$queryRawUnsafe('SELECT 1')),
    probe(() => producerRedis().ping()),
  ]);
  const [live, last] = postgres.ok
    ? await Promise.all([
        prisma().workerProcess.findMany({
          where: { heartbeatAt: { gte: liveWorkerCutoff() } },
          select: { id: true, hostname: true, pid: true, concurrency: true, startedAt: true, heartbeatAt: true },
          orderBy: { startedAt: 'asc' },
        }),
        // A worker that dies without a clean stop leaves its row behind: the latest beat
        // tells an operator how long the workers have been gone.
        prisma().workerProcess.aggregate({ _max: { heartbeatAt: true } }),
      ])
    : [[], null];
  const { status, problems } = judgeHealth({ postgres, redis, liveWorkers: live.length });
  return {
    status,
    ok: status === 'ok',
    problems,
    web: { ok: true },
    postgres,
    redis,
    workers: { count: live.length, live, lastHeartbeatAt: last?._max.heartbeatAt ?? null },
  };
}

export type Health = Awaited<ReturnType<typeof checkHealth>>;

/**
 * What anyone may see (load balancers, uptime checks): the status, what is wrong in
 * fixed words, and each check's verdict. No host names, pids, worker ids, timings or
 * error texts: those tell an attacker about the network and the software, and belong to
 * signed-in users and the metrics token holder.
 */
export function publicHealth(health: Health) {
  return {
    status: health.status,
    ok: health.ok,
    problems: health.problems,
    web: { ok: health.web.ok },
    postgres: { ok: health.postgres.ok },
    redis: { ok: health.redis.ok },
    workers: { ok: health.workers.count > 0 },
  };
}
