import { checkHealth } from '@/lib/ops/health';

// Unauthenticated on purpose (load balancers, orchestration); it reveals no data.
export async function GET() {
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503 });
}
export const dynamic = 'force-dynamic';
