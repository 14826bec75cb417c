import { expect, test } from '@playwright/test';
import { signInAs } from './fixtures/auth';
import { E2E_LEGACY_DB } from './fixtures/e2e-env';

test('a connection names the zone of its timestamps without zone; an unknown zone is refused at its field', async ({ page }) => {
  await signInAs(page, 'admin');
  const name = `Zoned e2e ${Date.now()}`;
  const refused = await page.request.post('/api/connections', {
    data: { name, kind: 'mysql', host: '127.0.0.1', port: 3306, database: E2E_LEGACY_DB, username: 'root', sslMode: 'disable', timestampZone: 'Mars/Olympus_Mons' },
  });
  expect(refused.status()).toBe(422);
  expect(JSON.stringify(await refused.json())).toContain('unknown time zone');

  await page.goto('/connections/new');
  const form = page.getByRole('form', { name: 'Connection' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Database kind').selectOption('mysql');
  await form.getByLabel('SSL mode').selectOption('disable');
  await form.getByLabel('Database', { exact: true }).fill(E2E_LEGACY_DB);
  await form.getByLabel('User').fill('root');
  const zone = form.getByLabel('Time zone of timestamps without zone');
  await expect(zone).toHaveValue('UTC');
  await zone.fill('Europe/Berlin');
  await form.getByRole('button', { name: 'Create connection' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await expect(page.getByText('timestamps without zone in Europe/Berlin')).toBeVisible();
  await expect(page.getByRole('form', { name: 'Connection' }).getByLabel('Time zone of timestamps without zone')).toHaveValue('Europe/Berlin');
});
