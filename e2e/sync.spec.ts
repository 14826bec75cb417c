import { expect, test, type Page } from '@playwright/test';
import pg from 'pg';
import { signInAs } from './fixtures/auth';
import { eventually } from './fixtures/api-wait';
import { createPeopleMapping, freshPeopleDatabases, pgUrl } from './fixtures/people-mapping';

/**
 * Issue 18 in the browser: a log sync created from the mapping page ("Keep in sync"),
 * started by an admin, keeps the target in step: a row changed in the source is in the
 * target within seconds and the sync page shows the delay D; an invalid change becomes an
 * error row on the page, which an admin dismisses; pause, resume and stop show their states.
 * Runs with the real worker process that global-setup starts.
 */

const PREFIX = 'e2e_sync';
let source: pg.Client;
let target: pg.Client;
let syncId: string | null = null;

test.beforeAll(async () => {
  const databases = await freshPeopleDatabases(PREFIX, 50);
  source = new pg.Client({ connectionString: pgUrl(databases.source) });
  target = new pg.Client({ connectionString: pgUrl(databases.target) });
  await Promise.all([source.connect(), target.connect()]);
});

test.afterAll(async ({ browser }) => {
  // A sync left running would hold a worker's slot for the specs after this one.
  if (syncId) {
    const page = await browser.newPage();
    await signInAs(page, 'admin');
    await page.request.post(`/api/syncs/${syncId}/stop`);
    await page.close();
  }
  await source?.end();
  await target?.end();
});

const state = (page: Page) => page.getByTestId('sync-state');
const targetEmail = async (id: number) => (await target.query<{ email: string }>('SELECT email FROM contacts WHERE id = $1', [id])).rows[0]?.email ?? null;

test('keep a mapping in sync: a source change reaches the target within seconds, D shows on the sync page, errors, pause, resume, stop', async ({ page }) => {
  test.setTimeout(180_000);
  await signInAs(page, 'admin');
  const mappingId = await createPeopleMapping(page, 'Sync people', { source: `${PREFIX}_src`, target: `${PREFIX}_tgt` }, { A: 'active', P: 'prospect' });

  await page.goto(`/mappings/${mappingId}`);
  await page.getByRole('button', { name: 'Keep in sync' }).click();
  const form = page.getByTestId('sync-settings-form');
  // The server's 422 is shown under the field it names.
  await form.getByLabel('Mode', { exact: true }).selectOption('cursor');
  await form.getByRole('button', { name: 'Create sync' }).click();
  await expect(form.getByText('Cursor column is required for a cursor sync')).toBeVisible();
  await form.getByLabel('Mode', { exact: true }).selectOption('log');
  await form.getByRole('button', { name: 'Create sync' }).click();
  await page.waitForURL(/\/syncs\/[0-9a-f-]{36}$/);
  syncId = page.url().split('/').pop() ?? null;
  await expect(state(page)).toHaveAttribute('data-state', 'never_started');

  await page.getByRole('button', { name: 'Start', exact: true }).click();
  // The initial load copies the 50 rows (row 50's email is invalid: an error row of the load job), then changes stream.
  await expect(state(page)).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  expect((await target.query('SELECT count(*)::int AS n FROM contacts')).rows[0].n).toBe(49);

  const changedAt = Date.now();
  await source.query(`UPDATE people SET email = 'changed7@example.com' WHERE id = 7`);
  await eventually('the change in the target', async () => ((await targetEmail(7)) === 'changed7@example.com' ? true : null), 15_000);
  expect(Date.now() - changedAt, 'the change arrived within seconds').toBeLessThan(10_000);
  // D on the page: the delay of the change just applied, a real figure of a few seconds at most.
  await expect(page.getByTestId('sync-delay')).not.toHaveAttribute('data-ms', '', { timeout: 5_000 });
  await expect(page.getByTestId('sync-last-run-detail')).toContainText('1 change(s)', { timeout: 5_000 });
  const delayMs = Number(await page.getByTestId('sync-delay').getAttribute('data-ms'));
  expect(delayMs).toBeGreaterThanOrEqual(0);
  expect(delayMs).toBeLessThan(10_000);
  await expect(page.getByTestId('delay-chart')).not.toHaveAttribute('data-points', '0');
  await expect(page.getByTestId('delay-hour-p50')).not.toHaveText('—');
  // The slot's health, checked as the reader starts (much WAL written elsewhere on this server may count as held).
  await expect(page.getByTestId('sync-capture-health')).toHaveAttribute('data-state', /^(healthy|holding_wal)$/, { timeout: 40_000 });

  // An invalid change (status X has no value in the map) becomes an error row of the sync.
  await source.query(`UPDATE people SET status = 'X' WHERE id = 8`);
  await expect(page.getByTestId('sync-open-errors')).toHaveText('1', { timeout: 15_000 });
  await expect(page.getByTestId('error-row-key')).toHaveText('8');
  await expect(page.getByTestId('error-row-open')).toContainText('transform');
  await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
  await expect(page.getByTestId('sync-open-errors')).toHaveText('0');
  await page.getByLabel('Show rows that landed or were dismissed').check();
  await expect(page.getByTestId('error-row-dismissed')).toContainText('by admin@ferry.local');

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(state(page)).toHaveAttribute('data-state', 'paused', { timeout: 15_000 });
  // Paused: a change waits in the slot.
  await source.query(`UPDATE people SET email = 'while-paused@example.com' WHERE id = 9`);
  await page.waitForTimeout(2000);
  expect(await targetEmail(9)).toBe('p9@example.com');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(state(page)).toHaveAttribute('data-state', 'running', { timeout: 15_000 });
  await eventually('the change made while paused', async () => ((await targetEmail(9)) === 'while-paused@example.com' ? true : null), 20_000);

  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(state(page)).toHaveAttribute('data-state', 'stopped', { timeout: 15_000 });
  await expect(page.getByRole('button', { name: 'Start again' })).toBeVisible();
  await eventually('the slot to be dropped', async () => {
    const { rows } = await source.query(`SELECT count(*)::int AS n FROM pg_replication_slots WHERE database = $1`, [`${PREFIX}_src`]);
    return rows[0].n === 0 ? true : null;
  }, 15_000);
  syncId = null;

  // The list and the mapping page show it too.
  const name = (await (await page.request.get(`/api/mappings/${mappingId}`)).json()).mapping.name as string;
  await page.goto('/syncs');
  await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  await page.goto(`/mappings/${mappingId}`);
  await expect(page.getByTestId('mapping-sync').getByTestId('sync-state')).toHaveAttribute('data-state', 'stopped');
});

test('an analyst sees a sync but no controls, and the server refuses them', async ({ page }) => {
  await signInAs(page, 'analyst');
  const { syncs } = (await (await page.request.get('/api/syncs')).json()) as { syncs: { id: string }[] };
  expect(syncs.length).toBeGreaterThan(0);
  await page.goto(`/syncs/${syncs[0].id}`);
  await expect(state(page)).toBeVisible();
  for (const name of ['Start', 'Start again', 'Pause', 'Stop']) await expect(page.getByRole('button', { name, exact: true })).toHaveCount(0);
  expect((await page.request.post(`/api/syncs/${syncs[0].id}/start`)).status()).toBe(403);
});
