import { renderMetrics } from '@/lib/ops/metrics';

// For Prometheus scrapers: aggregate numbers only, no data and no names. When
// METRICS_TOKEN is set, scrapers must send it as a bearer token.
export async function GET(request: Request) {
  const token = process.env.METRICS_TOKEN;
  if (token && request.headers.get('authorization') !== `Bearer ${token}`) {
    return Response.json({ error: { code: 'unauthenticated', message: 'A metrics token is required', issues: [] } }, { status: 401 });
  }
  return new Response(await renderMetrics(), { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } });
}
export const dynamic = 'force-dynamic';
