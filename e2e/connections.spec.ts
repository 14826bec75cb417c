import { expect, test } from '@playwright/test';
import pg from 'pg';
import { signInAs } from './fixtures/auth';
import { E2E_LEGACY_DB, E2E_MARIADB_USER } from './fixtures/e2e-env';

const name = `Legacy e2e ${Date.now()}`;

test('an analyst creates a MariaDB connection, tests it, sees a wrong password named, and browses the schema', async ({ page }) => {
  await signInAs(page, 'analyst');
  await page.goto('/connections/new');
  const form = page.getByRole('form', { name: 'Connection' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Database kind').selectOption('mysql');
  await expect(form.getByLabel('Port')).toHaveValue('3306');
  await form.getByLabel('SSL mode').selectOption('disable');
  await form.getByLabel('Host').fill('127.0.0.1');
  await form.getByLabel('Database', { exact: true }).fill(E2E_LEGACY_DB);
  await form.getByLabel('User').fill(E2E_MARIADB_USER.user);
  await form.getByLabel('Password').fill(E2E_MARIADB_USER.password);

  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('connection-test-result')).toContainText('Connected in');

  await form.getByRole('button', { name: 'Create connection' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();

  // Wrong password: the reason is specific, and the saved password is unchanged.
  const saved = page.getByRole('form', { name: 'Connection' });
  await saved.getByLabel('Password').fill('definitely-wrong');
  await saved.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('connection-test-result')).toContainText('Wrong user name or password');

  // The schema browser lists the legacy tables with estimated row counts.
  for (const table of ['customers', 'orders', 'payments', 'tickets']) {
    await expect(page.getByRole('link', { name: table, exact: true })).toBeVisible();
  }
  await page.getByRole('link', { name: 'customers', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'customers' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: 'cust_id' });
  await expect(row).toContainText('PK');
  await expect(page.getByRole('row').filter({ hasText: 'email_addr' })).toContainText('varchar(255)');
});

test('the target schema shows keys, unique constraints, foreign keys and checks', async ({ page }) => {
  await signInAs(page, 'viewer');
  await page.goto('/connections');
  await page.getByRole('link', { name: 'New CRM (PostgreSQL)' }).click();
  await page.getByRole('link', { name: 'deals', exact: true }).click();
  await expect(page.getByText('(contact_id) → contacts(id)')).toBeVisible();
  await page.goBack();
  await page.getByRole('link', { name: 'contacts', exact: true }).click();
  await expect(page.getByRole('row').filter({ hasText: 'status' })).toContainText('active, inactive, prospect');
  await expect(page.getByText(/\(email\)/).first()).toBeVisible();
});

test('no API response and no page contains a stored password', async ({ page }) => {
  const secret = `Sup3r-Secret-${Date.now()}`;
  await signInAs(page, 'admin');
  const created = await page.request.post('/api/connections', {
    data: { name: `secret ${secret.slice(-6)}`, kind: 'mysql', host: '127.0.0.1', port: 3306, database: E2E_LEGACY_DB, username: 'root', password: secret, sslMode: 'disable' },
  });
  expect(created.status()).toBe(200);
  const { connection } = await created.json();
  expect(connection.hasPassword).toBe(true);

  // Encrypted at rest: the database holds an AES-GCM envelope, not the password.
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  const stored = await db.query('SELECT password_encrypted FROM connections WHERE id = $1', [connection.id]);
  await db.end();
  const envelope: string = stored.rows[0].password_encrypted;
  expect(envelope.startsWith('v2:')).toBe(true);
  expect(envelope).not.toContain(secret);

  const apiPaths = ['/api/connections', `/api/connections/${connection.id}`, '/api/audit?take=50'];
  for (const path of apiPaths) {
    const text = await (await page.request.get(path)).text();
    expect(text, path).not.toContain(secret);
    expect(text, path).not.toContain(envelope.split(':')[3]);
  }
  const test = await page.request.post(`/api/connections/${connection.id}/test`);
  expect(await test.text()).not.toContain(secret);

  for (const path of ['/connections', `/connections/${connection.id}`, '/audit']) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    expect(await page.content(), path).not.toContain(secret);
  }
});
