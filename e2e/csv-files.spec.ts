import { readFile, writeFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { signInAs } from './fixtures/auth';
import { ok } from './fixtures/api-wait';
import { pgUrl } from './fixtures/people-mapping';
import { MappingEditor } from './pages/mapping-editor';

/**
 * CSV file sources in the browser: a file source is created on the Files page, an export
 * is uploaded through the file input (progress to 100 %), its detected shape (';', a
 * header) is checked, a wrong override is refused next to its field, the shape confirmed;
 * then a mapping from the file into a PostgreSQL table is run by an admin, and the lines
 * the target cannot take come back as error rows named by their line in the file.
 */

const TARGET_DB = 'e2e_csv_files_tgt';
const RECORDS = 200;
/** Records (1-based, after the header) with a fifth field; the file line is one more (the header is line 1). */
const TOO_MANY_FIELDS = [50, 120, 170];
const BAD_EMAIL = 77;
let target: pg.Client;

test.beforeAll(async () => {
  const admin = new pg.Client({ connectionString: pgUrl('postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${TARGET_DB}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${TARGET_DB}"`);
  await admin.end();
  target = new pg.Client({ connectionString: pgUrl(TARGET_DB) });
  await target.connect();
  await target.query(`CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text NOT NULL, city text)`);
});

test.afterAll(async () => {
  await target?.end();
});

/** An export as a legacy system writes it: ';' between fields, a header, a few broken lines. */
function customersCsv(): Buffer {
  const lines = ['id;name;email;city'];
  for (let n = 1; n <= RECORDS; n++) {
    const email = n === BAD_EMAIL ? 'not-an-email' : `customer${n}@example.com`;
    const extra = TOO_MANY_FIELDS.includes(n) ? ';unexpected' : '';
    lines.push(`${n};Customer ${n};${email};${n % 2 === 0 ? 'Lyon' : 'Brest'}${extra}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

async function createTargetConnection(page: Page, name: string) {
  await ok(
    page.request.post('/api/connections', {
      data: { name, kind: 'postgres', host: '127.0.0.1', port: 5432, database: TARGET_DB, username: 'postgres', sslMode: 'disable', schema: 'public' },
    }),
  );
}

test('a CSV export is uploaded, its shape confirmed, mapped and run: broken lines come back as error rows by line number', async ({ page }) => {
  test.setTimeout(180_000);
  await signInAs(page, 'admin');
  const stamp = Date.now();
  const sourceName = `CSV exports ${stamp}`;

  await page.goto('/connections');
  await page.getByRole('link', { name: 'Files', exact: true }).click();
  await expect(page).toHaveURL(/\/files$/);
  // The list arrives through the browser's own request: once it is there, the forms are live.
  await expect(page.getByText('Loading…')).toHaveCount(0);

  // The server refuses a nameless source; the browser says so next to the field.
  await page.getByLabel('Source name').fill(sourceName);
  await page.getByRole('button', { name: 'Create file source' }).click();
  const source = page.getByRole('region', { name: `File source ${sourceName}` });
  await expect(source).toContainText('No files yet.');
  // A second source of the same name is a 409, shown at the field.
  await page.getByLabel('Source name').fill(sourceName);
  await page.getByRole('button', { name: 'Create file source' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /^Source name/ })).toBeVisible();

  const upload = page.getByRole('form', { name: 'Upload a file' });
  await expect(upload.getByLabel('File source')).toHaveValue(/[0-9a-f-]{36}/);
  await expect(upload.getByLabel('File source').locator('option:checked')).toHaveText(sourceName);
  await upload.getByLabel('CSV file').setInputFiles({ name: 'Customers export.csv', mimeType: 'text/csv', buffer: customersCsv() });
  await expect(upload.getByLabel('Table name')).toHaveValue('customers_export');
  await upload.getByRole('button', { name: 'Upload' }).click();
  await expect(upload.getByRole('progressbar', { name: 'Upload progress' })).toHaveAttribute('aria-valuenow', '100');
  await expect(upload.getByTestId('upload-percent')).toHaveText('100 %');

  // Then the confirm screen, with what detection found.
  await expect(page).toHaveURL(/\/files\/[0-9a-f-]{36}$/, { timeout: 15_000 });
  await expect(page.getByRole('heading', { name: 'customers_export · version 1' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Delimiter', exact: true })).toHaveValue(';');
  await expect(page.getByTestId('choice-delimiter')).not.toBeEmpty();
  await expect(page.getByRole('combobox', { name: 'Header row', exact: true })).toHaveValue('0');
  await expect(page.getByRole('combobox', { name: 'Header row', exact: true }).locator('option:checked')).toContainText('id | name | email | city');
  for (const [i, name] of ['id', 'name', 'email', 'city'].entries()) await expect(page.getByLabel(`Column ${i + 1} name`)).toHaveValue(name);
  await expect(page.getByLabel('Column 1 type')).toHaveValue('integer');
  const preview = page.getByRole('table', { name: 'Preview of the first records' });
  await expect(preview.getByRole('columnheader', { name: 'email', exact: true })).toBeVisible();
  await expect(preview.locator('tbody tr')).toHaveCount(20);
  await expect(preview.locator('tbody tr').first()).toContainText('customer1@example.com');

  // An override is read back by the server: an empty column name is refused at the column.
  await page.getByLabel('Column 4 name').fill('');
  await expect(page.getByRole('alert').filter({ hasText: 'Name is required' })).toBeVisible();
  await page.getByLabel('Column 4 name').fill('town');
  await expect(preview.getByRole('columnheader', { name: 'town', exact: true })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'Name is required' })).toHaveCount(0);
  await page.getByLabel('Column 4 name').fill('city');
  await expect(preview.getByRole('columnheader', { name: 'city', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Confirm the shape' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'customers_export now reads version 1' })).toBeVisible();

  // The Files page lists the table as ready; the Connections page shows the source as CSV files.
  await page.getByRole('link', { name: 'Back to Files' }).click();
  await expect(source.locator('[data-testid="source-file"][data-status="ready"]')).toContainText('Customers export.csv');
  await page.goto('/connections');
  await expect(page.getByRole('row').filter({ hasText: sourceName })).toContainText('CSV files');

  // From the file to a mapping, run by an admin.
  await createTargetConnection(page, `CSV target ${stamp}`);
  await page.goto('/files');
  await source.getByRole('link', { name: 'Customers export.csv' }).click();
  await page.getByRole('link', { name: 'Create a mapping from this file' }).click();
  await expect(page).toHaveURL(/\/mappings\/new/);
  await expect(page.getByLabel('Source connection').locator('option:checked')).toHaveText(`${sourceName} (CSV files)`);
  await expect(page.getByLabel('Source table')).toHaveValue('customers_export');
  const editor = new MappingEditor(page);
  await editor.chooseTables(`Customers export → customers ${stamp}`, { connection: sourceName, table: 'customers_export' }, { connection: `CSV target ${stamp}`, table: 'customers' });
  await editor.autoMapAndAcceptAll();
  await expect(page.getByLabel('Source for email', { exact: true })).toHaveValue('email');
  // The export's own ids go to the target's key; the line number is never proposed.
  await expect(page.getByLabel('Source for id', { exact: true })).toHaveValue('id');
  await editor.addTransform('email', 'email');
  await expect(page.locator('[data-testid="mapping-issue"][data-severity="error"]')).toHaveCount(0);
  await page.getByRole('button', { name: 'Create mapping' }).click();
  await expect(page).toHaveURL(/\/mappings\/[0-9a-f-]{36}$/);

  await page.getByRole('button', { name: /Run migration/ }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'completed_with_errors', { timeout: 90_000 });
  const failedLines = [...TOO_MANY_FIELDS, BAD_EMAIL].map((n) => n + 1).sort((a, b) => a - b);
  await expect(page.getByTestId('rows-read')).toHaveText(String(RECORDS));
  await expect(page.getByTestId('rows-failed')).toHaveText(String(failedLines.length));
  await expect(page.getByTestId('error-row-key')).toHaveCount(failedLines.length);
  const shownKeys = (await page.getByTestId('error-row-key').allTextContents()).map((k) => Number(k.trim())).sort((a, b) => a - b);
  expect(shownKeys).toEqual(failedLines);

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download CSV' }).click();
  const records: { source_key: string }[] = parse(await readFile(await (await download).path(), 'utf8'), { columns: true });
  expect(records.map((r) => Number(r.source_key))).toEqual(failedLines);

  // Every other line landed, with its values.
  const landed = await target.query<{ count: string }>(`SELECT count(*) FROM customers`);
  expect(Number(landed.rows[0].count)).toBe(RECORDS - failedLines.length);
  const one = await target.query(`SELECT name, email, city FROM customers WHERE id = 2`);
  expect(one.rows).toEqual([{ name: 'Customer 2', email: 'customer2@example.com', city: 'Lyon' }]);
});

test('a large upload goes in 16 MiB chunks and survives lost ones: retried with back-off, then resumed where the server stands', async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, 'admin');
  const sourceName = `CSV retries ${Date.now()}`;
  const created = await page.request.post('/api/file-sources', { data: { name: sourceName } });
  expect(created.status(), await created.text()).toBe(200);
  // About 35 MB: three chunks, the browser holding one at a time.
  const row = (n: number) => `${n};Customer ${n} ${'x'.repeat(150)};customer${n}@example.com;Brest\n`;
  const lines = ['id;name;email;city\n'];
  for (let n = 1; lines.length * 190 < 35_000_000; n++) lines.push(row(n));
  const big = Buffer.from(lines.join(''), 'utf8');
  const path = test.info().outputPath('big export.csv');
  await writeFile(path, big);
  const CHUNK = 16 * 1024 * 1024;

  // The network drops the second chunk four times: three retries, then the upload waits for the user.
  let dropsLeft = 4;
  // Only that chunk is intercepted: a routed request's body passes through the test runner, slowly.
  await page.route(
    (url) => url.pathname.endsWith('/content') && url.searchParams.get('offset') === String(CHUNK),
    (route) => (dropsLeft-- > 0 ? route.abort('connectionfailed') : route.continue()),
  );
  await page.goto('/files');
  await expect(page.getByText('Loading…')).toHaveCount(0);
  const upload = page.getByRole('form', { name: 'Upload a file' });
  await upload.getByLabel('File source').selectOption({ label: sourceName });
  await upload.getByLabel('CSV file').setInputFiles(path);
  await expect(upload.getByLabel('Table name')).toHaveValue('big_export');
  const announced = page.waitForResponse((r) => r.url().endsWith('/files') && r.request().method() === 'POST');
  await upload.getByRole('button', { name: 'Upload', exact: true }).click();
  const { file } = (await (await announced).json()) as { file: { id: string } };
  await expect(upload.getByRole('status').filter({ hasText: 'trying again, attempt 1 of 3' })).toBeVisible({ timeout: 30_000 });
  await expect(upload.getByRole('button', { name: 'Resume', exact: true })).toBeVisible({ timeout: 20_000 });
  expect(dropsLeft).toBe(0);
  // The first chunk is kept: the bar stands at its share of the file.
  const firstShare = Math.floor((CHUNK / big.length) * 100);
  await expect(upload.getByRole('progressbar', { name: 'Upload progress' })).toHaveAttribute('aria-valuenow', String(firstShare));
  await expect(upload.getByRole('alert')).toContainText('Upload interrupted');
  await expect(upload.getByTestId('upload-progress')).toContainText('MB/s');

  // Meanwhile the rest arrived another way (another tab): the server's 409 says where it stands, and the upload ends there.
  const direct = await page.request.put(`/api/source-files/${file.id}/content?offset=${CHUNK}`, {
    data: big.subarray(CHUNK),
    headers: { 'content-type': 'application/octet-stream' },
  });
  expect(direct.status(), await direct.text()).toBe(200);
  await upload.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(upload.getByRole('progressbar', { name: 'Upload progress' })).toHaveAttribute('aria-valuenow', '100');
  await expect(page).toHaveURL(new RegExp(`/files/${file.id}$`), { timeout: 15_000 });
  await expect(page.getByRole('heading', { name: 'big_export · version 1' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Delimiter', exact: true })).toHaveValue(';');
});

test('a viewer sees file sources but none of the forms, and the server refuses what the forms would send', async ({ page }) => {
  await signInAs(page, 'viewer');
  await page.goto('/files');
  await expect(page.getByText('Loading…')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Files', exact: true })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Upload a file' })).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'Register a file on the server' })).toHaveCount(0);
  expect((await page.request.post('/api/file-sources', { data: { name: `Viewer source ${Date.now()}` } })).status()).toBe(403);
});
