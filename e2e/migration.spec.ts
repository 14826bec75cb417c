import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import mysql from 'mysql2/promise';
import { signInAs } from './fixtures/auth';
import { E2E_LEGACY_DB } from './fixtures/e2e-env';
import { MappingEditor } from './pages/mapping-editor';

/** The legacy customers the new CRM must refuse, by the rules documented with the demo data. */
async function invalidLegacyCustomerIds(): Promise<number[]> {
  const db = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: E2E_LEGACY_DB });
  const [rows] = await db.query(`
    WITH checked AS (
      SELECT cust_id, LOWER(TRIM(email_addr)) AS email,
        (email_addr IS NULL OR LOWER(TRIM(email_addr)) NOT REGEXP BINARY '^[a-z0-9._%+-]+@[a-z0-9-]+([.][a-z0-9-]+)+$'
         OR last_nm IS NULL OR TRIM(last_nm) = ''
         OR status IS NULL OR UPPER(TRIM(status)) NOT IN ('A', 'I', 'P')
         OR created_dt IS NULL OR NOT (TRIM(created_dt) REGEXP '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
           OR TRIM(created_dt) REGEXP '^[0-9]{2}/[0-9]{2}/[0-9]{4}$'
           OR TRIM(created_dt) REGEXP '^[0-9]{2}-[0-9]{2}-[0-9]{4} [0-9]{2}:[0-9]{2}$')) AS bad
      FROM customers)
    SELECT cust_id FROM checked WHERE bad
    UNION
    SELECT cust_id FROM (
      SELECT cust_id, ROW_NUMBER() OVER (PARTITION BY email ORDER BY cust_id) AS n FROM checked WHERE NOT bad) d
    WHERE n > 1
    ORDER BY cust_id`);
  await db.end();
  return (rows as { cust_id: number }[]).map((r) => Number(r.cust_id));
}

test('an admin maps legacy customers onto contacts, previews, runs the migration and gets exactly the invalid rows back', async ({ page }) => {
  test.setTimeout(180_000);
  await signInAs(page, 'admin');
  await page.goto('/mappings');
  await page.getByRole('link', { name: 'New mapping' }).click();

  const editor = new MappingEditor(page);
  await editor.chooseTables(`Customers → contacts ${Date.now()}`, { connection: 'Legacy CRM (MariaDB)', table: 'customers' }, { connection: 'New CRM (PostgreSQL)', table: 'contacts' });
  await editor.autoMapAndAcceptAll();
  await expect(page.getByLabel('Source for email', { exact: true })).toHaveValue('email_addr');
  // The new CRM generates contacts.id: auto-map keeps cust_id in legacy_id, on which rows are matched.
  await expect(page.getByLabel('Source for legacy_id', { exact: true })).toHaveValue('cust_id');
  const targetKey = page.getByRole('group', { name: 'Target key' });
  await targetKey.getByRole('button', { name: 'Remove id from target key', exact: true }).click();
  await targetKey.getByLabel('Add target key column', { exact: true }).selectOption('legacy_id');
  await expect(page.getByLabel('Source for created_at', { exact: true })).toHaveValue('created_dt');

  // Transforms: the legacy data needs cleaning on its way in.
  await editor.addTransform('email', 'email');
  await editor.link('full_name', 'first_nm');
  await editor.addSource('full_name', 'last_nm');
  await editor.addTransform('full_name', 'trim');
  await editor.addTransform('full_name', 'concat');
  await editor.addTransform('first_name', 'trim');
  await editor.addTransform('first_name', 'null_if_empty');
  await editor.addTransform('last_name', 'trim');
  await editor.addTransform('last_name', 'null_if_empty');
  const status = await editor.addTransform('status', 'value_map');
  for (const [index, [from, to]] of [['A', 'active'], ['I', 'inactive'], ['P', 'prospect']].entries()) {
    if (index > 0) await status.getByRole('button', { name: '+ Add value' }).click();
    await status.getByLabel('From').nth(index).fill(from);
    await status.getByLabel('To', { exact: true }).nth(index).fill(to);
  }
  await status.getByLabel('Ignore case').check();
  const created = await editor.addTransform('created_at', 'parse_date');
  await created.getByLabel('Format', { exact: true }).fill('YYYY-MM-DD');
  await created.getByRole('button', { name: '+ alternative format' }).click();
  await created.getByLabel('Alternative 1', { exact: true }).fill('DD/MM/YYYY');
  await created.getByRole('button', { name: '+ alternative format' }).click();
  await created.getByLabel('Alternative 2', { exact: true }).fill('MM-DD-YYYY HH:mm');
  await editor.unmap('phone');
  await expect(page.locator('[data-testid="mapping-issue"][data-severity="error"]')).toHaveCount(0);

  // Preview: the same code path as the run, on the first 20 rows.
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByTestId('preview-row')).toHaveCount(20);
  await expect(page.getByTestId('preview-summary')).toContainText('20 rows');

  await page.getByRole('button', { name: 'Create mapping' }).click();
  await expect(page).toHaveURL(/\/mappings\/[0-9a-f-]{36}$/);

  await page.getByRole('button', { name: /Run migration/ }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'completed_with_errors', { timeout: 90_000 });
  await expect(page.getByTestId('job-percent')).toHaveText('100 %');
  await expect(page.getByTestId('job-mapping-version')).toHaveText('v1');

  const expected = await invalidLegacyCustomerIds();
  expect(expected.length).toBeGreaterThan(20);
  await expect(page.getByTestId('rows-failed')).toHaveText(expected.length.toLocaleString('en-US'));
  await expect(page.getByTestId('rows-read')).toHaveText('2,000');

  // The error rows are listed with filters; the CSV holds exactly the invalid legacy rows.
  await page.getByLabel('Stage').selectOption('transform');
  await expect(page.getByRole('row').filter({ hasText: 'transform' }).first()).toBeVisible();
  await page.getByLabel('Stage').selectOption('');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download CSV' }).click();
  const csv = await readFile(await (await download).path(), 'utf8');
  const records: { source_key: string; cust_id: string; code: string }[] = parse(csv, { columns: true });
  // Keys are plain values (103, not [103]), in key order.
  const keys = records.map((r) => Number(r.source_key));
  expect(keys).toEqual(expected);
  expect(records.every((r) => r.cust_id === r.source_key)).toBe(true);
});
