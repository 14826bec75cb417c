import { expect, test } from '@playwright/test';
import { signInAs } from './fixtures/auth';

test('health reports the web app, PostgreSQL, Redis and live workers; metrics are in Prometheus format', async ({ request }) => {
  // The metrics token (scripts/test-env.sh) also unlocks health's details, such as the worker count.
  const headers = { authorization: `Bearer ${process.env.METRICS_TOKEN}` };
  const health = await (await request.get('/api/health', { headers })).json();
  expect(health.ok).toBe(true);
  expect(health.postgres.ok).toBe(true);
  expect(health.redis.ok).toBe(true);
  expect(health.workers.count).toBeGreaterThanOrEqual(1);

  const metrics = await (await request.get('/api/metrics', { headers })).text();
  expect(metrics).toMatch(/^# TYPE ferry_rows_read_total counter$/m);
  expect(metrics).toMatch(/^ferry_workers [1-9]\d*$/m);
  expect(metrics).toMatch(/^ferry_queue_jobs\{state="waiting"\} \d+$/m);
});

test('bad input to job endpoints gets a clear 4xx and changes nothing', async ({ page }) => {
  await signInAs(page, 'admin');
  const unknown = '00000000-0000-4000-8000-000000000000';
  const notFound = await page.request.post(`/api/jobs/${unknown}/pause`);
  expect(notFound.status()).toBe(404);
  expect((await notFound.json()).error.message).toBe('Job not found');

  const malformedId = await page.request.post('/api/jobs/not-a-job/resume');
  expect(malformedId.status()).toBe(422);
  expect((await malformedId.json()).error.issues[0].path).toBe('params.id');

  const malformedBody = await page.request.post('/api/jobs', { data: { mappingId: 42, options: { chunkRows: 5 } } });
  expect(malformedBody.status()).toBe(422);
  const paths = (await malformedBody.json()).error.issues.map((i: { path: string }) => i.path);
  expect(paths).toEqual(expect.arrayContaining(['body.mappingId', 'body.options.chunkRows']));

  const notJson = await page.request.post('/api/jobs', { headers: { 'content-type': 'application/json' }, data: Buffer.from('{oops') });
  expect(notJson.status()).toBe(400);

  const finished = (await (await page.request.get('/api/jobs')).json()).jobs.find((j: { status: string }) => j.status === 'completed_with_errors');
  expect(finished, 'an earlier journey left a finished job').toBeTruthy();
  const before = await (await page.request.get(`/api/jobs/${finished.id}`)).json();
  for (const action of ['resume', 'pause', 'cancel']) {
    const refused = await page.request.post(`/api/jobs/${finished.id}/${action}`);
    expect(refused.status()).toBe(409);
    expect((await refused.json()).error.message).toMatch(/^Cannot (resume|pause|cancel) a job that is completed with errors$/);
  }
  const after = await (await page.request.get(`/api/jobs/${finished.id}`)).json();
  expect(after.job.status).toBe(before.job.status);
  expect(after.job.totals).toEqual(before.job.totals);
});
