/** One dependency as the health check saw it. */
export interface ProbeResult {
  ok: boolean;
  error?: string;
  ms: number;
}

/**
 * ok: everything works. degraded: the web app serves pages and takes requests, but jobs
 * will not move (nothing picks them up). down: a dependency every request needs is gone.
 */
export type HealthStatus = 'ok' | 'degraded' | 'down';

export const NO_WORKER = 'no worker is sending heartbeats';

/** The overall status and what is wrong, in words, from the probes and the live worker count. */
export function judgeHealth(seen: { postgres: ProbeResult; redis: ProbeResult; liveWorkers: number }): { status: HealthStatus; problems: string[] } {
  const problems: string[] = [];
  if (!seen.postgres.ok) problems.push('PostgreSQL does not answer');
  if (!seen.redis.ok) problems.push('Redis does not answer');
  if (problems.length > 0) return { status: 'down', problems };
  if (seen.liveWorkers === 0) return { status: 'degraded', problems: [NO_WORKER] };
  return { status: 'ok', problems };
}
