import { expect, test } from '@playwright/test';
import { signInAs } from './fixtures/auth';

test('a viewer is not offered writes, and the server refuses them with 403', async ({ page }) => {
  await signInAs(page, 'viewer');
  await page.goto('/connections');
  await expect(page.getByRole('heading', { name: 'Connections' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'New connection' })).toHaveCount(0);

  const create = await page.request.post('/api/connections', {
    data: { name: 'sneaky', kind: 'postgres', host: '127.0.0.1', port: 5432, database: 'x', username: 'y' },
  });
  expect(create.status()).toBe(403);
  expect((await create.json()).error.code).toBe('forbidden');
  expect((await page.request.get('/api/users')).status()).toBe(403);

  const list = await (await page.request.get('/api/connections')).json();
  expect(list.connections.map((c: { name: string }) => c.name)).not.toContain('sneaky');

  // Opening a saved connection shows it read-only: no save, test or delete buttons.
  await page.getByRole('link', { name: 'Legacy CRM (MariaDB)' }).click();
  await expect(page.getByRole('heading', { name: 'Legacy CRM (MariaDB)' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save changes' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete' })).toHaveCount(0);
});

test('an analyst may edit connections but not manage users', async ({ page }) => {
  await signInAs(page, 'analyst');
  expect((await page.request.get('/api/users')).status()).toBe(403);
  expect((await page.request.post('/api/users', { data: { email: 'x@y.z', name: 'x', role: 'admin', password: '0123456789' } })).status()).toBe(403);
  await page.goto('/users');
  await expect(page).toHaveURL(/\/connections$/);
});

test('bad input gets a 422 naming the field and changes nothing', async ({ page }) => {
  await signInAs(page, 'analyst');
  const response = await page.request.post('/api/connections', {
    data: { name: 'bad port', kind: 'postgres', host: '127.0.0.1', port: 70000, database: 'x', username: 'y' },
  });
  expect(response.status()).toBe(422);
  const body = await response.json();
  expect(body.error.issues).toContainEqual(expect.objectContaining({ path: 'body.port' }));
  const list = await (await page.request.get('/api/connections')).json();
  expect(list.connections.map((c: { name: string }) => c.name)).not.toContain('bad port');
});
