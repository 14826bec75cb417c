import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { signInAs } from './fixtures/auth';
import { createPeopleMapping, freshPeopleDatabases, peopleSpec } from './fixtures/people-mapping';

const ROWS = 1000;
const FAILED = ROWS / 10; // status P, unknown to the first version
const STILL_FAILING = ROWS / 50; // bad emails: fail again after the fix
const LANDED = FAILED - STILL_FAILING;

test('after a replay, the original and the replay tell the same numbers in banner, counters and lists', async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, 'admin');
  const databases = await freshPeopleDatabases('ferry_e2e_truth', ROWS);
  const mappingId = await createPeopleMapping(page, 'truth people', databases, { A: 'active' });
  const started = await page.request.post('/api/jobs', { data: { mappingId, options: { chunkRows: 500, batchRows: 100 } } });
  expect(started.status(), await started.text()).toBe(200);
  const jobId: string = (await started.json()).job.id;

  await page.goto(`/jobs/${jobId}`);
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'completed_with_errors', { timeout: 60_000 });
  await expect(page.getByTestId('rows-failed')).toHaveText(String(FAILED));
  await expect(page.getByTestId('job-stop-reason')).toHaveText(`${FAILED} row(s) did not land; they are listed as error rows`);

  // The mapping learns status P; the failed rows are replayed from the job page.
  const saved = await page.request.post(`/api/mappings/${mappingId}/versions`, { data: { spec: peopleSpec({ A: 'active', P: 'prospect' }) } });
  expect(saved.status(), await saved.text()).toBe(200);
  await page.getByRole('button', { name: 'Replay failed rows' }).click();
  await expect(page).not.toHaveURL(new RegExp(`/jobs/${jobId}$`));
  await expect(page.getByTestId('job-status')).toHaveAttribute('data-status', 'completed_with_errors', { timeout: 60_000 });
  const replayId = page.url().split('/').pop() as string;

  // The replay: its own outcome, never "listed as error rows" beside an empty list.
  const replayBanner = page.getByTestId('job-stop-reason');
  await expect(replayBanner).toContainText(`Replayed ${FAILED} row(s) of job ${jobId.slice(0, 8)}: ${LANDED} landed, ${STILL_FAILING} failed again`);
  await expect(replayBanner).not.toContainText('listed as error rows');
  await expect(page.getByTestId('rows-read')).toHaveText(String(FAILED));
  await expect(page.getByTestId('rows-written')).toHaveText(String(LANDED));
  await expect(page.getByTestId('rows-failed')).toHaveText(String(STILL_FAILING));
  await expect(page.getByTestId('rows-failed-detail')).toHaveText(`${STILL_FAILING} still open on job ${jobId.slice(0, 8)}`);
  await expect(page.getByRole('heading', { name: `Rows this replay tried · ${FAILED}`, exact: true })).toBeVisible();
  await expect(page.getByTestId('error-row-landed')).toHaveCount(LANDED);
  await expect(page.getByTestId('error-row-open')).toHaveCount(STILL_FAILING);
  await expect(page.getByText('No error rows.')).toHaveCount(0);

  // The original: failed = still open + landed since, said the same way everywhere.
  await page.goto(`/jobs/${jobId}`);
  await expect(page.getByTestId('job-stop-reason')).toHaveText(
    `${FAILED} row(s) did not land: ${STILL_FAILING} still open, listed as error rows; ${LANDED} landed after replay ${replayId.slice(0, 8)}`,
  );
  await expect(page.getByTestId('rows-failed')).toHaveText(String(FAILED));
  await expect(page.getByTestId('rows-failed-detail')).toHaveText(`${STILL_FAILING} still open · ${LANDED} landed after replay ${replayId.slice(0, 8)}`);
  await expect(page.getByRole('heading', { name: `Error rows · ${STILL_FAILING}`, exact: true })).toBeVisible();
  await page.getByLabel('Show rows that landed after a replay').check();
  await expect(page.getByRole('heading', { name: `Error rows · ${FAILED}`, exact: true })).toBeVisible();

  // The mapping's job list says the same.
  await page.goto(`/mappings/${mappingId}`);
  const row = page.getByRole('row').filter({ has: page.locator(`a[href="/jobs/${jobId}"]`) });
  await expect(row).toContainText(`${FAILED} (${STILL_FAILING} open)`);
});

test('a running job shows its condition, an estimated total as an estimate, and chunks on a silent worker as such', async ({ page }) => {
  await signInAs(page, 'admin');
  const databases = await freshPeopleDatabases('ferry_e2e_truth_live', 10);
  const mappingId = await createPeopleMapping(page, 'truth live', databases, { A: 'active', P: 'prospect' });
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  const jobId = randomUUID();
  const deadWorker = `e2e-silent-${jobId.slice(0, 8)}`;
  const lastBeat = new Date(Date.now() - 60_000);
  const since = new Date(Date.now() - 120_000).toISOString();
  const nextAt = new Date(Date.now() + 600_000).toISOString();
  try {
    // A job in the middle of its run, written as the workers would leave it.
    const version = await db.query(`SELECT id FROM mapping_versions WHERE mapping_id = $1`, [mappingId]);
    await db.query(
      `INSERT INTO jobs (id, kind, status, mapping_id, mapping_version_id, rows_estimated, rows_estimate_exact, started_at, planned_at, updated_at, condition)
       VALUES ($1, 'migration', 'running', $2, $3, 1000000, false, now(), now(), now(), $4)`,
      [
        jobId,
        mappingId,
        version.rows[0].id,
        JSON.stringify({ state: 'waiting', reason: 'source refuses login: password authentication failed', side: 'source', since, attempt: 3, maxAttempts: null, nextAt, giveUpAt: null }),
      ],
    );
    await db.query(`INSERT INTO worker_processes (id, hostname, pid, concurrency, heartbeat_at) VALUES ($1, 'e2e', 1, 1, $2)`, [deadWorker, lastBeat]);
    // Its heartbeat is set ahead so the e2e worker's sweeper leaves the chunk to this page; the worker's own beat is what counts.
    await db.query(
      `INSERT INTO chunks (id, job_id, seq, status, rows_read, rows_written, worker_id, heartbeat_at, started_at)
       VALUES (gen_random_uuid(), $1, 0, 'running', 250000, 250000, $2, now() + interval '10 minutes', now())`,
      [jobId, deadWorker],
    );

    await page.goto(`/jobs/${jobId}`);
    await expect(page.getByTestId('job-condition')).toHaveText(
      `waiting: source refuses login: password authentication failed (since ${since.slice(11, 19)} UTC, next try at ${nextAt.slice(11, 19)} UTC)`,
    );
    await expect(page.getByTestId('job-total')).toHaveText('about 1,000,000 source rows (estimate)');
    await expect(page.getByTestId('job-percent')).toHaveText('25.0 % (of an estimate)');
    await expect(page.locator('[data-testid="chunk-grid"] [data-status="worker-lost"]')).toHaveCount(1);
    await expect(page.locator('[data-testid="chunk-grid"] [data-status="running"]')).toHaveCount(0);
    await expect(page.getByTestId('chunks-worker-lost')).toHaveText(/^Chunk 0: worker stopped responding at \d{1,2}:\d{2}:\d{2}.*; handed over shortly$/);

    await page.goto('/jobs');
    const row = page.getByRole('row').filter({ has: page.locator(`a[href="/jobs/${jobId}"]`) });
    await expect(row.getByTestId('job-condition-badge')).toHaveText('waiting');
  } finally {
    await db.query(`DELETE FROM jobs WHERE id = $1`, [jobId]);
    await db.query(`DELETE FROM worker_processes WHERE id = $1`, [deadWorker]);
    await db.end();
  }
});
