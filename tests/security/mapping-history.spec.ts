import { expect, test, type APIRequestContext } from '@playwright/test';
import { clientAs } from './support/api';
import { createPeopleMapping, freshPeople, waitForJob } from './support/mapping-world';

// Issue 17, item 7: an analyst's DELETE used to erase a mapping with all its jobs, error
// rows (the only copy of the source rows that failed) and reports. Now it archives: the
// history stays readable, nothing new starts, and only an admin erases it for good, by
// typing its name. Connections that mappings use cannot be deleted from under them.

let admin: APIRequestContext;
let analyst: APIRequestContext;

test.beforeAll(async () => {
  admin = await clientAs('admin');
  analyst = await clientAs('analyst');
});
test.afterAll(async () => {
  await admin.dispose();
  await analyst.dispose();
});

const people = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ id: i + 1, email: `p${i + 1}@example.com`, status: (i + 1) % 10 === 0 ? 'P' : 'A' }));

async function finishedMigration(mappingId: string) {
  const started = await admin.post('/api/jobs', { data: { mappingId } });
  expect(started.status(), await started.text()).toBe(200);
  const jobId: string = (await started.json()).job.id;
  expect(await waitForJob(admin, jobId)).toBe('completed_with_errors');
  // The verification that follows a migration must finish too: an unfinished job blocks archiving.
  let report: { id: string; jobId: string; finishedAt: string | null } | null = null;
  for (const started = Date.now(); !report?.finishedAt; ) {
    expect(Date.now() - started, 'the verification after the migration finishes').toBeLessThan(60_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    report = (await (await admin.get(`/api/jobs/${jobId}/consistency`)).json()).report;
  }
  return { jobId, reportId: report.id, verifyJobId: report.jobId };
}

test('an analyst’s DELETE archives: jobs, error rows and reports stay readable; nothing new starts; restore brings it back', async () => {
  test.setTimeout(180_000);
  const name = `history ${Date.now()}`;
  const databases = await freshPeople('sec_history', people(200));
  const { mappingId, sourceConnectionId } = await createPeopleMapping(admin, name, databases);
  const { jobId, reportId, verifyJobId } = await finishedMigration(mappingId);
  const errorsBefore = await (await admin.get(`/api/jobs/${jobId}/errors`)).json();
  expect(errorsBefore.rows.length).toBe(20);

  const archived = await analyst.delete(`/api/mappings/${mappingId}`);
  expect(archived.status(), await archived.text()).toBe(200);

  // The history is all there.
  expect((await analyst.get(`/api/jobs/${jobId}`)).status()).toBe(200);
  expect((await (await analyst.get(`/api/jobs/${jobId}/errors`)).json()).rows.length).toBe(20);
  const csv = await analyst.get(`/api/jobs/${jobId}/errors.csv`);
  expect(csv.status()).toBe(200);
  expect((await csv.text()).trim().split('\n').length).toBe(21);
  expect((await analyst.get(`/api/jobs/${verifyJobId}/consistency`)).status()).toBe(200);
  const detail = await (await analyst.get(`/api/mappings/${mappingId}`)).json();
  expect(detail.mapping.archivedAt).toBeTruthy();
  expect(detail.mapping.archivedBy.email).toMatch(/analyst/);
  expect(detail.mapping.versions.length).toBe(1);

  // Out of the default list, in the archived one with who and when.
  const listed = (await (await analyst.get('/api/mappings')).json()).mappings.map((m: { id: string }) => m.id);
  expect(listed).not.toContain(mappingId);
  const archivedList = (await (await analyst.get('/api/mappings?archived=true')).json()).mappings;
  const entry = archivedList.find((m: { id: string }) => m.id === mappingId);
  expect(entry?.archivedBy?.email).toMatch(/analyst/);
  expect(entry?.archivedAt).toBeTruthy();

  // Nothing new happens to an archived mapping: every start and edit is a 409 naming it.
  const refusals = [
    await admin.post('/api/jobs', { data: { mappingId } }),
    await admin.post(`/api/mappings/${mappingId}/verify`, { data: {} }),
    await admin.post(`/api/jobs/${jobId}/replay`, { data: {} }),
    await admin.post(`/api/consistency/${reportId}/repair`, { data: { deleteExtra: false } }),
    await admin.post(`/api/mappings/${mappingId}/versions`, { data: { spec: detail.mapping.spec } }),
    await admin.put(`/api/mappings/${mappingId}/verify-settings`, { data: { columns: {}, autoVerify: false } }),
    await admin.patch(`/api/jobs/${jobId}/errors/${errorsBefore.rows[0].id}`, { data: { values: { status: 'A' } } }),
    await analyst.delete(`/api/mappings/${mappingId}`),
  ];
  for (const refused of refusals) {
    const text = await refused.text();
    expect(refused.status(), text).toBe(409);
    expect(text).toContain(name);
    expect(text).toContain('archived');
  }

  // Its connections cannot be deleted: that would take the archived mapping and its history along.
  const connectionDelete = await admin.delete(`/api/connections/${sourceConnectionId}`);
  expect(connectionDelete.status()).toBe(409);
  expect((await connectionDelete.json()).error.message).toContain(`"${name}" (archived)`);
  expect((await analyst.get(`/api/mappings/${mappingId}`)).status()).toBe(200);

  // Restored: listed again, and it starts jobs again.
  const restored = await analyst.post(`/api/mappings/${mappingId}/restore`, { data: {} });
  expect(restored.status(), await restored.text()).toBe(200);
  expect((await (await analyst.get('/api/mappings')).json()).mappings.map((m: { id: string }) => m.id)).toContain(mappingId);
  const verify = await admin.post(`/api/mappings/${mappingId}/verify`, { data: {} });
  expect(verify.status(), await verify.text()).toBe(200);
  await waitForJob(admin, (await verify.json()).job.id);
});

test('a mapping with an unfinished job, paused included, is not archived; the refusal names the job', async () => {
  test.setTimeout(180_000);
  const name = `history busy ${Date.now()}`;
  const databases = await freshPeople('sec_history_busy', people(20_000));
  const { mappingId } = await createPeopleMapping(admin, name, databases);
  const started = await admin.post('/api/jobs', { data: { mappingId, options: { chunkRows: 1000, batchRows: 10, maxParallelChunks: 1, errorPolicy: { action: 'continue' } } } });
  expect(started.status(), await started.text()).toBe(200);
  const jobId: string = (await started.json()).job.id;
  await waitForJob(admin, jobId, (s) => s === 'running');
  const paused = await admin.post(`/api/jobs/${jobId}/pause`);
  expect(paused.status(), await paused.text()).toBe(200);
  await waitForJob(admin, jobId, (s) => s === 'paused');

  const refused = await analyst.delete(`/api/mappings/${mappingId}`);
  expect(refused.status()).toBe(409);
  const text = await refused.text();
  expect(text).toContain(jobId);
  expect(text).toContain('paused');
  expect((await (await analyst.get(`/api/mappings/${mappingId}`)).json()).mapping.archivedAt).toBeNull();

  expect((await admin.post(`/api/jobs/${jobId}/cancel`)).status()).toBe(200);
  expect(await waitForJob(admin, jobId)).toBe('cancelled');
  expect((await analyst.delete(`/api/mappings/${mappingId}`)).status()).toBe(200);
});

test('erasing for good: only admins, only archived mappings, only with the name typed exactly', async () => {
  test.setTimeout(180_000);
  const name = `history purge ${Date.now()}`;
  const databases = await freshPeople('sec_history_purge', people(100));
  const { mappingId } = await createPeopleMapping(admin, name, databases);
  const { jobId } = await finishedMigration(mappingId);
  const stillThere = async () => {
    expect((await admin.get(`/api/mappings/${mappingId}`)).status()).toBe(200);
    expect((await (await admin.get(`/api/jobs/${jobId}/errors`)).json()).rows.length).toBe(10);
  };

  // Not while active.
  const notArchived = await admin.post(`/api/mappings/${mappingId}/purge`, { data: { confirmName: name } });
  expect(notArchived.status()).toBe(409);
  await stillThere();
  expect((await analyst.delete(`/api/mappings/${mappingId}`)).status()).toBe(200);

  // Not by an analyst, even with the right name.
  const byAnalyst = await analyst.post(`/api/mappings/${mappingId}/purge`, { data: { confirmName: name } });
  expect(byAnalyst.status()).toBe(403);
  await stillThere();

  // Not with a wrong, differently cased or missing name.
  for (const data of [{ confirmName: 'wrong' }, { confirmName: name.toUpperCase() }, { confirmName: ` ${name}` }, {}]) {
    const wrong = await admin.post(`/api/mappings/${mappingId}/purge`, { data });
    expect(wrong.status()).toBe(422);
    const body = await wrong.json();
    expect(body.error.issues.map((i: { path: string }) => i.path)).toContain('body.confirmName');
  }
  await stillThere();

  const purged = await admin.post(`/api/mappings/${mappingId}/purge`, { data: { confirmName: name } });
  expect(purged.status(), await purged.text()).toBe(200);
  expect((await admin.get(`/api/mappings/${mappingId}`)).status()).toBe(404);
  expect((await admin.get(`/api/jobs/${jobId}`)).status()).toBe(404);
  expect((await (await admin.get('/api/mappings?archived=true')).json()).mappings.map((m: { id: string }) => m.id)).not.toContain(mappingId);

  // The audit log keeps what happened.
  const audit = await (await admin.get(`/api/audit?entityType=mapping&entityId=${mappingId}`)).json();
  expect(audit.entries.map((e: { action: string }) => e.action)).toEqual(['mapping.purge', 'mapping.archive', 'mapping.create']);
  expect(audit.entries[0].entity).toMatchObject({ label: name, state: 'gone', href: null });
});
