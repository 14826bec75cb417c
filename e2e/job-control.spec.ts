import { expect, test } from '@playwright/test';
import pg from 'pg';
import { signInAs } from './fixtures/auth';
import { customersToContactsSpec } from './fixtures/demo-mapping';
import { E2E_LARGE } from './fixtures/e2e-env';

test('an admin pauses a large migration, sees the counters frozen, resumes it, and it finishes with exact totals', async ({ page }) => {
  test.setTimeout(180_000);
  await signInAs(page, 'admin');
  const suffix = Date.now();
  const connection = async (data: object) => (await (await page.request.post('/api/connections', { data })).json()).connection.id as string;
  const source = await connection({ name: `large legacy ${suffix}`, kind: 'mysql', host: '127.0.0.1', port: 3306, database: E2E_LARGE.legacyDatabase, username: 'root', sslMode: 'disable' });
  const target = await connection({ name: `large target ${suffix}`, kind: 'postgres', host: '127.0.0.1', port: 5432, database: E2E_LARGE.targetDatabase, username: 'postgres', sslMode: 'disable' });
  const created = await page.request.post('/api/mappings', {
    data: { name: `large customers ${suffix}`, sourceConnectionId: source, targetConnectionId: target, spec: customersToContactsSpec },
  });
  expect(created.status(), await created.text()).toBe(200);
  const mappingId = (await created.json()).mapping.id;
  // Small batches keep the job running long enough to steer it by hand.
  const started = await page.request.post('/api/jobs', { data: { mappingId, options: { chunkRows: 5000, batchRows: 50 } } });
  const jobId = (await started.json()).job.id;

  await page.goto(`/jobs/${jobId}`);
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'running');
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'paused', { timeout: 10_000 });
  await expect(page.getByRole('button', { name: 'Resume' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeDisabled();

  const frozen = await page.getByTestId('rows-read').textContent();
  expect(Number(frozen?.replace(/,/g, ''))).toBeLessThan(E2E_LARGE.customers);
  await page.waitForTimeout(3000);
  await expect(page.getByTestId('rows-read')).toHaveText(frozen ?? '');

  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'completed_with_errors', { timeout: 120_000 });
  await expect(page.getByTestId('rows-read')).toHaveText(E2E_LARGE.customers.toLocaleString('en-US'));
  const written = Number((await page.getByTestId('rows-written').textContent())?.replace(/,/g, ''));
  const failed = Number((await page.getByTestId('rows-failed').textContent())?.replace(/,/g, ''));
  expect(written + failed).toBe(E2E_LARGE.customers);

  const db = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:5432/${E2E_LARGE.targetDatabase}` });
  await db.connect();
  const landed = await db.query('SELECT count(*)::int AS n FROM contacts');
  await db.end();
  expect(landed.rows[0].n).toBe(written);
  await expect(page.getByTestId('job-events')).toContainText('Pause requested by admin@ferry.local');
  await expect(page.getByTestId('job-events')).toContainText('Resumed by admin@ferry.local');
});

test('only admins may steer jobs: the server refuses an analyst with 403, and the page offers no buttons', async ({ page }) => {
  await signInAs(page, 'analyst');
  const jobs = await (await page.request.get('/api/jobs')).json();
  const jobId: string = jobs.jobs[0].id;
  for (const action of ['pause', 'resume', 'cancel', 'replay']) {
    expect((await page.request.post(`/api/jobs/${jobId}/${action}`, { data: {} })).status()).toBe(403);
  }
  expect((await page.request.post('/api/jobs', { data: { mappingId: jobs.jobs[0].mapping.id } })).status()).toBe(403);
  await page.goto(`/jobs/${jobId}`);
  await expect(page.getByTestId('job-status')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveCount(0);
});
