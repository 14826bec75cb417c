import { expect, test } from '@playwright/test';
import { signInAs } from './fixtures/auth';
import { createPeopleMapping, freshPeopleDatabases } from './fixtures/people-mapping';

test('an analyst archives a mapping from its page, finds it under Archived with who and when, and restores it', async ({ page }) => {
  await signInAs(page, 'analyst');
  const databases = await freshPeopleDatabases('ferry_e2e_archive', 10);
  const mappingId = await createPeopleMapping(page, 'archive people', databases, { A: 'active', P: 'prospect' });
  const name: string = (await (await page.request.get(`/api/mappings/${mappingId}`)).json()).mapping.name;

  await page.goto(`/mappings/${mappingId}`);
  await page.getByRole('button', { name: 'Archive', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Archive "${name}"?` });
  await expect(dialog).toContainText('versions, jobs, error rows and reports stay');
  await dialog.getByRole('button', { name: 'Archive', exact: true }).click();
  await expect(page.getByTestId('archived-banner')).toContainText('Archived by analyst@');
  await expect(page.getByTestId('mapping-jobs')).toContainText('starts no jobs until it is restored');
  await expect(page.getByRole('button', { name: 'Archive', exact: true })).toHaveCount(0);
  // Erasing is an admin's act: not offered to an analyst.
  await expect(page.getByRole('button', { name: `Erase ${name}` })).toHaveCount(0);

  await page.goto('/mappings');
  await expect(page.getByRole('link', { name })).toHaveCount(0);
  await page.getByRole('tab', { name: 'Archived' }).click();
  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row.getByTestId('archived-when')).toContainText('by analyst@');
  await row.getByRole('button', { name: `Restore ${name}` }).click();
  await expect(row).toHaveCount(0);
  await page.getByRole('tab', { name: 'Active' }).click();
  await expect(page.getByRole('link', { name })).toBeVisible();
});

test('an admin erases an archived mapping only after typing its name', async ({ page }) => {
  await signInAs(page, 'admin');
  const databases = await freshPeopleDatabases('ferry_e2e_erase', 10);
  const mappingId = await createPeopleMapping(page, 'erase people', databases, { A: 'active', P: 'prospect' });
  const name: string = (await (await page.request.get(`/api/mappings/${mappingId}`)).json()).mapping.name;
  expect((await page.request.delete(`/api/mappings/${mappingId}`)).status()).toBe(200);

  await page.goto(`/mappings/${mappingId}`);
  await page.getByRole('button', { name: `Erase ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Erase "${name}" for good?` });
  const erase = dialog.getByRole('button', { name: 'Erase for good' });
  await expect(erase).toBeDisabled();
  await dialog.getByLabel("Type the mapping's name to confirm").fill(name.slice(0, -1));
  await expect(erase).toBeDisabled();
  await dialog.getByLabel("Type the mapping's name to confirm").fill(name);
  await erase.click();
  await expect(page).toHaveURL(/\/mappings$/);
  expect((await page.request.get(`/api/mappings/${mappingId}`)).status()).toBe(404);
});
