import { expect, test, type APIRequestContext } from '@playwright/test';
import pg from 'pg';
import { signInAs } from './fixtures/auth';
import { freshPeopleDatabases, peopleSpec } from './fixtures/people-mapping';

/**
 * What API users (no browser, no live checks) learn from the answers: saving or checking
 * a mapping returns its warnings with their field paths; verify settings naming a column
 * the target does not have are refused with that field; a preview key of the wrong arity
 * is refused, not a 500.
 */

const pgUrl = (database: string) => `postgresql://postgres@127.0.0.1:5432/${database}`;

/** people (id, email, status) plus a `score` text column; contacts gets an integer `score`. */
async function scoreDatabases() {
  const databases = await freshPeopleDatabases('e2e_api_checks', 59);
  const source = new pg.Client({ connectionString: pgUrl(databases.source) });
  await source.connect();
  await source.query(`ALTER TABLE people ADD COLUMN score text`);
  await source.query(`UPDATE people SET score = CASE WHEN id <= 2 THEN id::text ELSE 'n/a ' || id END`);
  await source.end();
  const target = new pg.Client({ connectionString: pgUrl(databases.target) });
  await target.connect();
  await target.query(`ALTER TABLE contacts ADD COLUMN score integer`);
  await target.end();
  return databases;
}

const textIntoInteger = () => ({
  ...peopleSpec({ A: 'active', P: 'prospect' }),
  fields: [...peopleSpec({ A: 'active', P: 'prospect' }).fields, { target: 'score', sources: ['score'] }],
});

async function connectionIds(request: APIRequestContext, databases: { source: string; target: string }) {
  const suffix = Date.now();
  const create = async (label: string, database: string) => {
    const response = await request.post('/api/connections', {
      data: { name: `API checks ${label} ${suffix}`, kind: 'postgres', host: '127.0.0.1', port: 5432, database, username: 'postgres', sslMode: 'disable', schema: 'public' },
    });
    expect(response.status(), await response.text()).toBe(200);
    return (await response.json()).connection.id as string;
  };
  return { sourceConnectionId: await create('source', databases.source), targetConnectionId: await create('target', databases.target) };
}

interface ApiIssue {
  path: string;
  code: string;
  message: string;
}

test.describe('mapping answers for API users', () => {
  let connections: { sourceConnectionId: string; targetConnectionId: string };

  test.beforeEach(async ({ page }) => {
    await signInAs(page, 'analyst');
    connections ??= await connectionIds(page.request, await scoreDatabases());
  });

  test('saving and checking a text → integer mapping answer with its warning and field path', async ({ page }) => {
    const spec = textIntoInteger();
    const needsCast = expect.objectContaining({ path: 'body.spec.fields.3', code: 'needs_cast', message: expect.stringContaining('"score"') });

    const checked = await page.request.post('/api/mappings/check', { data: { ...connections, spec } });
    expect(checked.status(), await checked.text()).toBe(200);
    const check = (await checked.json()) as { errors: ApiIssue[]; warnings: ApiIssue[] };
    expect(check.errors).toEqual([]);
    expect(check.warnings).toContainEqual(needsCast);

    const created = await page.request.post('/api/mappings', { data: { name: `API checks ${Date.now()}`, ...connections, spec } });
    expect(created.status(), await created.text()).toBe(200);
    const saved = (await created.json()) as { mapping: { id: string }; warnings: ApiIssue[] };
    expect(saved.warnings).toContainEqual(needsCast);

    const versioned = await page.request.post(`/api/mappings/${saved.mapping.id}/versions`, { data: { spec, comment: 'same again' } });
    expect(versioned.status(), await versioned.text()).toBe(200);
    expect(((await versioned.json()) as { warnings: ApiIssue[] }).warnings).toContainEqual(needsCast);

    // A mapping with errors: the check answers 200 with them; saving still refuses with 422.
    const broken = { ...spec, fields: [...spec.fields, { target: 'no_such_column', sources: ['id'] }] };
    const checkedBroken = await page.request.post('/api/mappings/check', { data: { ...connections, spec: broken } });
    expect(checkedBroken.status(), await checkedBroken.text()).toBe(200);
    expect(((await checkedBroken.json()) as { errors: ApiIssue[] }).errors).toContainEqual(
      expect.objectContaining({ path: 'body.spec.fields.4.target', code: 'unknown_target_column' }),
    );
    const savedBroken = await page.request.post(`/api/mappings/${saved.mapping.id}/versions`, { data: { spec: broken } });
    expect(savedBroken.status()).toBe(422);
  });

  test('verify settings naming a column the target lacks are refused with that field', async ({ page }) => {
    const created = await page.request.post('/api/mappings', { data: { name: `API checks verify ${Date.now()}`, ...connections, spec: textIntoInteger() } });
    expect(created.status(), await created.text()).toBe(200);
    const mappingId = ((await created.json()) as { mapping: { id: string } }).mapping.id;

    const saved = await page.request.put(`/api/mappings/${mappingId}/verify-settings`, { data: { columns: { nope: { trim: true } }, rangeRows: 100_000, autoVerify: true } });
    expect(saved.status(), await saved.text()).toBe(422);
    expect((await saved.json()).error.issues).toContainEqual(expect.objectContaining({ path: 'body.columns.nope' }));

    // Overrides for one run are settings too (starting a run is an admin's).
    await signInAs(page, 'admin');
    const started = await page.request.post(`/api/mappings/${mappingId}/verify`, { data: { settings: { columns: { nope: { trim: true } } } } });
    expect(started.status(), await started.text()).toBe(422);
    expect((await started.json()).error.issues).toContainEqual(expect.objectContaining({ path: 'body.settings.columns.nope' }));
    const keyExcluded = await page.request.post(`/api/mappings/${mappingId}/verify`, { data: { settings: { columns: { id: { exclude: true } } } } });
    expect(keyExcluded.status(), await keyExcluded.text()).toBe(422);
    expect((await keyExcluded.json()).error.issues).toContainEqual(expect.objectContaining({ path: 'body.settings.columns.id.exclude' }));
  });

  test('a preview key with the wrong number of values is a 422 naming it, not a 500', async ({ page }) => {
    const spec = peopleSpec({ A: 'active', P: 'prospect' });
    const fine = await page.request.post('/api/mappings/preview', { data: { ...connections, spec, keys: [[1], [2]] } });
    expect(fine.status(), await fine.text()).toBe(200);
    const wrong = await page.request.post('/api/mappings/preview', { data: { ...connections, spec, keys: [[1], [1, 2, 3]] } });
    expect(wrong.status(), await wrong.text()).toBe(422);
    const body = await wrong.json();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.issues).toContainEqual(expect.objectContaining({ path: 'body.keys.1' }));
  });
});
