import { checkHealth } from '@/lib/ops/health';

// Unauthenticated on purpose (load balancers, orchestration); it reveals no data.
// 503 only when PostgreSQL or Redis is down: then no request can be served. Without a live
// worker this web server still serves pages and accepts jobs (they wait in the queue), and
// pulling it from a load balancer would not bring a worker back, so that is 200 with
// status "degraded" and the problem named; monitoring alerts on the status field.
export async function GET() {
  const health = await checkHealth();
  return Response.json(health, { status: health.status === 'down' ? 503 : 200 });
}
export const dynamic = 'force-dynamic';
