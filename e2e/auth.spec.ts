import { expect, test } from '@playwright/test';
import { credentialsFor } from './fixtures/auth';

for (const role of ['admin', 'analyst', 'viewer'] as const) {
  test(`${role} signs in with the form and sees their role`, async ({ page }) => {
    const { email, password } = credentialsFor(role);
    await page.goto('/connections');
    await expect(page).toHaveURL(/\/login$/);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/connections$/);
    await expect(page.getByTestId('current-user')).toContainText(role);
    await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(role === 'admin' ? 1 : 0);
  });
}

test('a wrong password is refused with a message, and sign-out ends the session', async ({ page }) => {
  const { email, password } = credentialsFor('viewer');
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('form').getByRole('alert')).toHaveText('Wrong email or password');

  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
  const cookie = (await page.context().cookies()).find((c) => c.name === 'ferry_session');
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe('Lax');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect((await page.request.get('/api/connections')).status()).toBe(401);
});
