import { expect, test, type Page } from '@playwright/test';
import { signInAs } from './fixtures/auth';
import { createPeopleMapping, freshPeopleDatabases } from './fixtures/people-mapping';

/** The message the form shows under a field (the Field component prefixes it with the label). */
const fieldMessage = (page: Page, label: string) => page.getByRole('alert').filter({ hasText: new RegExp(`^${label} `) });

test('an admin sets the error policy in the run panel; refused values are named at their field, with the limits', async ({ page }) => {
  test.setTimeout(90_000);
  await signInAs(page, 'admin');
  const databases = await freshPeopleDatabases('ferry_e2e_run_panel', 1000);
  const mappingId = await createPeopleMapping(page, 'run panel people', databases, { A: 'active' });
  await page.goto(`/mappings/${mappingId}`);
  const panel = page.locator('section', { has: page.getByRole('heading', { name: 'Run', exact: true }) });

  // The inputs carry the limits the server checks.
  await expect(panel.getByLabel('Rows per chunk')).toHaveAttribute('min', '100');
  await expect(panel.getByLabel('Rows per chunk')).toHaveAttribute('max', '5000000');
  await expect(panel.getByLabel('Rows per batch')).toHaveAttribute('min', '10');
  await expect(panel.getByLabel('Rows per batch')).toHaveAttribute('max', '50000');
  await expect(panel.getByLabel('Chunks at once')).toHaveAttribute('max', '256');
  await expect(panel).toContainText('a whole number from 10 to 50,000');

  // A value below the limit: the server refuses it, and the page says so at the field.
  await panel.getByLabel('Rows per batch').fill('5');
  await panel.getByRole('button', { name: /Run migration/ }).click();
  await expect(fieldMessage(page, 'Rows per batch')).toHaveText('Rows per batch must be a whole number from 10 to 50,000');
  await expect(page.getByText('Invalid body')).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`/mappings/${mappingId}$`));

  // Stop past a limit needs a limit; a percentage has its own range.
  await panel.getByLabel('Rows per batch').fill('100');
  await panel.getByLabel('Error policy').selectOption('stop');
  await expect(panel.getByLabel('Failed % limit')).toHaveAttribute('max', '100');
  await panel.getByRole('button', { name: /Run migration/ }).click();
  await expect(fieldMessage(page, 'Failed rows limit')).toHaveText('Failed rows limit give maxFailedRows or maxFailedPercent for the pause or stop action');
  await expect(fieldMessage(page, 'Rows per batch')).toHaveCount(0);
  await panel.getByLabel('Failed % limit').fill('150');
  await panel.getByRole('button', { name: /Run migration/ }).click();
  await expect(fieldMessage(page, 'Failed % limit')).toHaveText('Failed % limit must be a number from 0 to 100');
  await expect(page.getByText('Invalid body')).toHaveCount(0);

  // A valid policy: the job stops once more than 5 rows failed (every 10th row fails), and says why.
  await panel.getByLabel('Failed % limit').fill('');
  await panel.getByLabel('Failed rows limit').fill('5');
  await panel.getByRole('button', { name: /Run migration/ }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
  await expect(page.getByTestId('job-stop-reason')).toContainText(/Stopped by the error policy: \d+ failed rows exceed the limit of 5/);
  const jobId = page.url().split('/').pop();
  const job = (await (await page.request.get(`/api/jobs/${jobId}`)).json()).job;
  expect(job.options.errorPolicy).toEqual({ action: 'stop', maxFailedRows: 5 });
  expect(job.options.batchRows).toBe(100);
});
