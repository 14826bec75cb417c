import { expect, test } from '@playwright/test';
import { signInAs } from './fixtures/auth';
import { createPeopleMapping, freshPeopleDatabases } from './fixtures/people-mapping';

// 2000 people: every 10th has status P, which the mapping does not know (200 rows); every
// 50th of those also has an invalid email, reported first (40 rows: invalid_email, 160: unmapped_value).
const ROWS = 2000;

test('counts by stage, field and code filter the error list; the list pages past 100 rows by key', async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, 'admin');
  const databases = await freshPeopleDatabases('ferry_e2e_triage', ROWS);
  const mappingId = await createPeopleMapping(page, 'triage people', databases, { A: 'active' });
  const started = await page.request.post('/api/jobs', { data: { mappingId, options: { chunkRows: 1000, batchRows: 200 } } });
  expect(started.status(), await started.text()).toBe(200);
  const jobId: string = (await started.json()).job.id;

  await page.goto(`/jobs/${jobId}`);
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'completed_with_errors', { timeout: 60_000 });
  await expect(page.getByRole('heading', { name: 'Error rows · 200', exact: true })).toBeVisible();

  // The largest cause first, with its share.
  const triage = page.getByTestId('error-triage');
  await expect(triage.getByTestId('triage-cause').first()).toHaveText(/160\s*\(80 %\)\s*transform · status · unmapped_value/);
  await expect(triage.getByTestId('triage-code')).toContainText('invalid_email40');

  // A count is a filter: the list, its heading and the other counts follow; a second click lets go.
  const invalidEmail = triage.getByTestId('triage-code').getByRole('button', { name: 'invalid_email: 40 row(s)' });
  await invalidEmail.click();
  await expect(invalidEmail).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('heading', { name: 'Error rows · 40', exact: true })).toBeVisible();
  await expect(page.getByLabel('Code', { exact: true })).toHaveValue('invalid_email');
  await expect(triage.getByTestId('triage-field')).toHaveText(/email40/);
  await expect(triage.getByTestId('triage-field')).not.toContainText('status');
  await invalidEmail.click();
  await expect(page.getByRole('heading', { name: 'Error rows · 200', exact: true })).toBeVisible();

  // The largest cause as one click: stage, field and code together.
  await triage.getByTestId('triage-cause').first().click();
  await expect(page.getByRole('heading', { name: 'Error rows · 160', exact: true })).toBeVisible();
  await expect(page.getByLabel('Stage', { exact: true })).toHaveValue('transform');
  await expect(page.getByLabel('Field', { exact: true })).toHaveValue('status');

  // 160 rows: two pages in key order (10, 20, 30, 40, 60 … the 100th is 1240).
  const keys = page.getByTestId('error-row-key');
  await expect(page.getByTestId('error-rows-range')).toHaveText('Rows 1–100 of 160, by source key');
  await expect(keys).toHaveCount(100);
  await expect(keys.first()).toHaveText('10');
  await expect(keys.nth(4)).toHaveText('60');
  await expect(keys.last()).toHaveText('1240');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByTestId('error-rows-range')).toHaveText('Rows 101–160 of 160, by source key');
  await expect(keys).toHaveCount(60);
  await expect(keys.first()).toHaveText('1260');
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await page.getByRole('button', { name: 'Previous' }).click();
  await expect(keys.first()).toHaveText('10');

  // Descending: the last key first.
  await page.getByLabel('Order', { exact: true }).selectOption('key_desc');
  await expect(keys.first()).toHaveText('1990');
  await expect(page.getByTestId('error-rows-range')).toHaveText('Rows 1–100 of 160, by source key');
});
