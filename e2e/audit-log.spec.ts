import { expect, test } from '@playwright/test';
import { credentialsFor, signInAs } from './fixtures/auth';

// The audit log as an admin reads it: filter by user, fold out what changed (never a
// secret), follow the link to the entity, page through older entries, and bad dates refused.
test('an admin filters the audit log by user, opens a change, follows its link, and pages back in time', async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const stamp = Date.now();
  const secret = `audit-secret-${stamp}`;
  const name = `audit conn ${stamp}`;
  const config = { name, kind: 'postgres', host: '127.0.0.1', port: 5432, database: 'postgres', username: 'postgres', sslMode: 'disable', schema: 'public' };

  // The analyst creates a connection with a password, then moves it to another port with a new one.
  const analyst = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
  expect((await analyst.post('/api/auth/login', { data: credentialsFor('analyst') })).status()).toBe(200);
  const created = await analyst.post('/api/connections', { data: { ...config, password: secret } });
  expect(created.status(), await created.text()).toBe(200);
  const connectionId: string = (await created.json()).connection.id;
  const updated = await analyst.put(`/api/connections/${connectionId}`, { data: { ...config, port: 5433, password: `${secret}-2` } });
  expect(updated.status(), await updated.text()).toBe(200);
  await analyst.dispose();

  await signInAs(page, 'admin');
  await page.goto('/audit');
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();

  // Only the analyst's entries: the newest is the change of port.
  await page.getByRole('combobox', { name: 'User', exact: true }).selectOption({ label: credentialsFor('analyst').email });
  await expect(page).toHaveURL(/actor=/);
  const entries = page.getByTestId('audit-entry');
  await expect(entries.first()).toContainText(`changed connection ${name}`);
  await expect(page.getByRole('row').filter({ hasText: credentialsFor('admin').email })).toHaveCount(0);

  // Its changes fold out: the port and that the password changed, never the password.
  const row = page.getByRole('row').filter({ hasText: `changed connection ${name}` });
  await row.getByTestId('audit-changes').locator('summary').click();
  const changes = row.getByTestId('audit-change');
  await expect(changes.filter({ hasText: /^port/ })).toContainText('5432');
  await expect(changes.filter({ hasText: /^port/ })).toContainText('5433');
  await expect(changes.filter({ hasText: 'passwordChanged' })).toContainText('true');
  // Changed fields only: the host and name stayed.
  await expect(changes.filter({ hasText: /^(host|name)/ })).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);

  // The creation lists every field as added.
  const creation = page.getByRole('row').filter({ hasText: `created connection ${name}` });
  await creation.getByTestId('audit-changes').locator('summary').click();
  await expect(creation.getByTestId('audit-change').filter({ hasText: /^host/ })).toContainText('127.0.0.1');

  // The entity link opens the connection; Back returns to the filtered log.
  await row.getByTestId('audit-entity-link').click();
  await expect(page).toHaveURL(new RegExp(`/connections/${connectionId}$`));
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/actor=/);
  await expect(entries.first()).toContainText(`changed connection ${name}`);

  // A date range after today holds nothing.
  const tomorrow = new Date(Date.now() + 86_400_000);
  const day = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
  await page.getByLabel('From', { exact: true }).fill(day);
  await expect(page.getByText('No entries match these filters.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).not.toHaveURL(/actor=|from=/);

  // 55 changes of one user: 50 on the first page, 5 older ones on the next.
  const user = await page.request.post('/api/users', { data: { email: `audit-paging-${stamp}@ferry.test`, name: 'Paging 0', role: 'viewer', password: 'audit-paging-password' } });
  expect(user.status(), await user.text()).toBe(200);
  const userId: string = (await user.json()).user.id;
  for (let i = 1; i <= 54; i++) expect((await page.request.patch(`/api/users/${userId}`, { data: { name: `Paging ${i}` } })).status()).toBe(200);
  await page.goto(`/audit?kind=user&entity=${userId}`);
  await expect(entries).toHaveCount(50);
  await expect(entries.first()).toContainText('changed user');
  await expect(page.getByRole('button', { name: '← Newer' })).toBeDisabled();
  await page.getByRole('button', { name: 'Older →' }).click();
  await expect(entries).toHaveCount(5);
  await expect(entries.last()).toContainText('created user');
  await expect(page.getByRole('button', { name: 'Older →' })).toBeDisabled();
  await page.getByRole('button', { name: '← Newer' }).click();
  await expect(entries).toHaveCount(50);
  await expect(page.getByRole('button', { name: '← Newer' })).toBeDisabled();

  // Filters are checked by the server: an impossible date is a 422 naming the field.
  const bad = await page.request.get('/api/audit?from=2026-02-30');
  expect(bad.status()).toBe(422);
  expect((await bad.json()).error.issues[0].path).toBe('query.from');
  const backwards = await page.request.get('/api/audit?from=2026-12-03&to=2026-12-01');
  expect(backwards.status()).toBe(422);
  expect((await backwards.json()).error.issues[0].path).toBe('query.to');
});
