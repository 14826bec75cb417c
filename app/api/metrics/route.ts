import { renderMetrics } from '@/lib/ops/metrics';
import { metricsTokenMatches } from '@/lib/ops/metrics-token';

// For Prometheus scrapers: aggregate numbers only, no data and no names. When
// METRICS_TOKEN is set, scrapers must send it as a bearer token (compared in constant time).
export async function GET(request: Request) {
  if (process.env.METRICS_TOKEN && !metricsTokenMatches(request.headers.get('authorization'))) {
    return Response.json({ error: { code: 'unauthenticated', message: 'A metrics token is required', issues: [] } }, { status: 401 });
  }
  return new Response(await renderMetrics(), { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } });
}
export const dynamic = 'force-dynamic';
