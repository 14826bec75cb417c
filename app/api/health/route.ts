import { resolveSession, sessionCookieIn } from '@/lib/auth/sessions';
import { env } from '@/lib/env';
import { checkHealth, publicHealth } from '@/lib/ops/health';
import { metricsTokenMatches } from '@/lib/ops/metrics-token';

// Unauthenticated on purpose (load balancers, orchestration): anyone gets the status and
// each check's verdict; signed-in users and holders of the metrics token also get the
// details (timings, error texts, worker hosts and pids) — lib/ops/health.ts publicHealth.
// 503 only when PostgreSQL or Redis is down: then no request can be served. Without a live
// worker this web server still serves pages and accepts jobs (they wait in the queue), and
// pulling it from a load balancer would not bring a worker back, so that is 200 with
// status "degraded" and the problem named; monitoring alerts on the status field.
export async function GET(request: Request) {
  const health = await checkHealth();
  const detailed = metricsTokenMatches(request.headers.get('authorization')) || (health.postgres.ok && (await signedIn(request)));
  return Response.json(detailed ? health : publicHealth(health), { status: health.status === 'down' ? 503 : 200 });
}
export const dynamic = 'force-dynamic';

async function signedIn(request: Request): Promise<boolean> {
  const cookie = sessionCookieIn(request.headers.get('cookie'));
  if (!cookie) return false;
  const actor = await resolveSession(cookie, env().SESSION_SECRET).catch(() => null);
  return actor !== null;
}
