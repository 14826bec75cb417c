import { expect, test, type Page } from '@playwright/test';
import { credentialsFor, signInAs } from './fixtures/auth';
import { E2E_LEGACY_DB, E2E_TARGET_DB } from './fixtures/e2e-env';
import { createStrictTarget, createVerifyAccounts, STRICT_TABLE, strictAccountsSpec, VERIFY_ROWS, withTarget } from './fixtures/verify-accounts';

/** Connections to the e2e databases and a mapping over them, through the API. */
async function createMapping(page: Page, name: string, spec: object): Promise<string> {
  const suffix = Date.now();
  const connection = async (data: object) => {
    const response = await page.request.post('/api/connections', { data });
    expect(response.status(), await response.text()).toBe(200);
    return (await response.json()).connection.id as string;
  };
  const source = await connection({ name: `${name} legacy ${suffix}`, kind: 'mysql', host: '127.0.0.1', port: 3306, database: E2E_LEGACY_DB, username: 'root', sslMode: 'disable' });
  const target = await connection({ name: `${name} target ${suffix}`, kind: 'postgres', host: '127.0.0.1', port: 5432, database: E2E_TARGET_DB, username: 'postgres', sslMode: 'disable' });
  const created = await page.request.post('/api/mappings', { data: { name: `${name} ${suffix}`, sourceConnectionId: source, targetConnectionId: target, spec } });
  expect(created.status(), await created.text()).toBe(200);
  return (await created.json()).mapping.id;
}

test('a row corrected on the job page is verified against its correction, and the differences say who corrected it', async ({ page }) => {
  test.setTimeout(180_000);
  await createVerifyAccounts();
  await createStrictTarget();
  await signInAs(page, 'admin');
  const mappingId = await createMapping(page, 'corrected accounts', strictAccountsSpec);
  const started = await page.request.post('/api/jobs', { data: { mappingId } });
  expect(started.status(), await started.text()).toBe(200);
  const migrationId: string = (await started.json()).job.id;

  // Ids 3, 6, 9 … are gold, which the target refuses. Row 3 is corrected to silver and replayed.
  await page.goto(`/jobs/${migrationId}`);
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'completed_with_errors', { timeout: 90_000 });
  await page.getByLabel('Search by key').fill('[3]');
  await expect(page.getByRole('heading', { name: 'Error rows · 1', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Fix & replay' }).click();
  await page.getByLabel('Value of tier').fill('silver');
  await page.getByRole('button', { name: 'Save and replay' }).click();
  await expect
    .poll(async () => withTarget(async (db) => (await db.query(`SELECT tier FROM ${STRICT_TABLE} WHERE id = 3`)).rows[0]?.tier ?? null))
    .toBe('silver');

  const verify = await page.request.post(`/api/mappings/${mappingId}/verify`, { data: {} });
  expect(verify.status(), await verify.text()).toBe(200);
  await page.goto(`/jobs/${(await verify.json()).job.id}`);
  await expect(page.getByTestId('consistency-score')).toHaveAttribute('data-state', 'finished', { timeout: 90_000 });
  // Row 3 matches its correction: only the other gold rows are missing.
  await expect(page.getByTestId('consistency-missing')).toHaveText(String(VERIFY_ROWS / 3 - 1));
  const corrections = page.getByTestId('diff-corrections');
  await expect(corrections).toContainText("1 key was compared with an analyst's correction instead of the source row");
  await corrections.locator('summary').click();
  await expect(corrections.getByTestId('diff-corrected-by')).toContainText(`corrected by ${credentialsFor('admin').email} at `);
});
