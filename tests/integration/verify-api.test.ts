import './support/test-env';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { diffsCsv } from '@/lib/consistency/diffs-csv';
import { listDiffs } from '@/lib/consistency/list-diffs';
import { getJobConsistency, getMappingConsistency } from '@/lib/consistency/report-view';
import { getVerifySettings, saveVerifySettings } from '@/lib/consistency/verify-settings';
import { prisma } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { cancelJob, pauseJob } from '@/lib/jobs/control-job';
import { getJobProgress, listJobs } from '@/lib/jobs/job-progress';
import { startRepair } from '@/lib/jobs/start-repair';
import { startVerify } from '@/lib/jobs/start-verify';
import { diffQuerySchema, verifySettingsSchema } from '@/lib/schemas/consistency';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { closeVerifyTest, freshPgPair, pgMapping, verifyNow } from './support/verify';
import { waitForJob } from './support/wait';

const SOURCE_DB = 'verify_api_src';
const TARGET_DB = 'verify_api_tgt';

let actor: Actor;
let source: pg.Client;
let target: pg.Client;
let mappingId: string;
const workers: SpawnedWorker[] = [];

const rejectsWith = (status: number, path?: string) => (error: unknown) => {
  assert.ok(error instanceof AppError, String(error));
  assert.equal(error.status, status, error.message);
  if (path) assert.deepEqual(error.issues.map((i) => i.path), [path]);
  return true;
};

before(async () => {
  ({ actor, source, target } = await freshPgPair(SOURCE_DB, TARGET_DB));
  await source.query(`CREATE TABLE items (id int PRIMARY KEY, label text, price numeric(8,2))`);
  await target.query(`CREATE TABLE items (id int PRIMARY KEY, label text, price numeric(8,2))`);
  await source.query(`INSERT INTO items SELECT g, 'item, "' || g || '"', g FROM generate_series(1, 30) g`);
  await target.query(`INSERT INTO items SELECT g, 'item, "' || g || '"', CASE WHEN g <= 3 THEN g + 1 ELSE g END FROM generate_series(1, 28) g`);
  const mapping = await pgMapping(actor, SOURCE_DB, TARGET_DB, 'verify api items', {
    source: { table: 'items', key: ['id'] },
    target: { table: 'items', key: ['id'] },
    fields: ['id', 'label', 'price'].map((c) => ({ target: c, sources: [c] })),
  });
  mappingId = mapping.id;
  workers.push(spawnWorker());
});

after(() => closeVerifyTest(workers, [source, target]));

describe('consistency API', () => {
  test('bad input is refused with the field path and changes nothing', async () => {
    await assert.rejects(listDiffs(randomUUID(), { take: 10 }), rejectsWith(404));
    await assert.rejects(diffsCsv(randomUUID()).next(), rejectsWith(404));
    await assert.rejects(getJobConsistency(randomUUID()), rejectsWith(404));
    await assert.rejects(startVerify(actor, randomUUID(), {}), rejectsWith(404));
    await assert.rejects(startVerify(actor, mappingId, { version: 9 }), rejectsWith(422, 'body.version'));
    await assert.rejects(startRepair(actor, randomUUID(), { deleteExtra: false }), rejectsWith(404));

    const badKind = diffQuerySchema.safeParse({ kind: 'bogus' });
    assert.equal(badKind.success, false);
    assert.deepEqual(badKind.error?.issues.map((i) => i.path.join('.')), ['kind']);

    const saved = await getVerifySettings(mappingId);
    const withUnknown = verifySettingsSchema.parse({ columns: { foo: { exclude: true }, price: { tolerance: 0.5 } } });
    await assert.rejects(saveVerifySettings(actor, mappingId, withUnknown), rejectsWith(422, 'body.columns.foo'));
    await assert.rejects(saveVerifySettings(actor, mappingId, verifySettingsSchema.parse({ columns: { id: { exclude: true } } })), rejectsWith(422, 'body.columns.id.exclude'));
    assert.deepEqual(await getVerifySettings(mappingId), saved);
  });

  test('saved settings apply to the next run and are audit-logged; repair waits for the verification', async () => {
    const settings = await saveVerifySettings(actor, mappingId, verifySettingsSchema.parse({ columns: { price: { tolerance: 1 } }, autoVerify: false }));
    assert.equal(settings.columns.price.tolerance, 1);
    const audit = await prisma().auditEntry.findFirstOrThrow({ where: { entityId: mappingId, action: 'mapping.verify_settings' }, orderBy: { id: 'desc' } });
    assert.deepEqual((audit.after as { verifySettings: { autoVerify: boolean } }).verifySettings.autoVerify, false);

    const report = await verifyNow(actor, mappingId);
    assert.deepEqual([report.matched, report.different, report.missing, report.extra], [28, 0, 2, 0]);
    const strict = await verifyNow(actor, mappingId, { settings: { columns: { price: { exclude: false } } } });
    assert.deepEqual([strict.matched, strict.different, strict.missing], [25, 3, 2]);

    const view = await getMappingConsistency(mappingId);
    assert.equal(view.latest?.id, strict.id);
    assert.deepEqual(view.history.slice(-2).map((p) => p.reportId), [report.id, strict.id]);
    assert.deepEqual(view.columns.find((c) => c.name === 'price'), { name: 'price', family: 'decimal', normalization: { exclude: false, tolerance: 1, decimalScale: 2 }, isKey: false });
    assert.equal(view.columns.find((c) => c.name === 'id')?.isKey, true);

    // A verification that has not finished cannot be repaired yet (a job row in that state).
    const unfinished = await prisma().job.create({
      data: { kind: 'verify', status: 'running', mappingId, mappingVersionId: (await prisma().mappingVersion.findFirstOrThrow({ where: { mappingId } })).id },
    });
    const pendingReport = await prisma().consistencyReport.create({ data: { jobId: unfinished.id, mappingId, mappingVersionId: unfinished.mappingVersionId } });
    await assert.rejects(startRepair(actor, pendingReport.id, { deleteExtra: false }), rejectsWith(409));
    await assert.rejects(pauseJob(actor, unfinished.id), rejectsWith(409));
    assert.deepEqual((await getJobProgress(unfinished.id)).actions, ['cancel']);
    assert.equal(await cancelJob(actor, unfinished.id), 'cancelled');
  });

  test('drill-down pages and the CSV hold every difference', async () => {
    const report = await verifyNow(actor, mappingId, { settings: { columns: { price: { exclude: false } } } });
    const first = await listDiffs(report.id, { take: 2 });
    assert.equal(first.diffs.length, 2);
    assert.notEqual(first.next, null);
    const rest = await listDiffs(report.id, { take: 1000, after: first.next ?? undefined });
    assert.equal(first.diffs.length + rest.diffs.length, 5);
    assert.equal(rest.next, null);
    const onlyMissing = await listDiffs(report.id, { kind: 'missing', take: 100 });
    assert.deepEqual(onlyMissing.diffs.map((d) => d.key[0]).sort(), [29, 30]);
    const byKey = await listDiffs(report.id, { key: '[2]', take: 100 });
    assert.deepEqual(byKey.diffs.map((d) => d.key), [[2]]);

    let csv = '';
    for await (const chunk of diffsCsv(report.id)) csv += chunk;
    const lines = parse(csv, { columns: true }) as Record<string, string>[];
    assert.equal(lines.length, 5);
    const two = lines.find((l) => l.key === '[2]');
    assert.deepEqual([two?.kind, two?.field, two?.source_value, two?.target_value], ['different', 'price', '2.00', '3.00']);
    assert.deepEqual(JSON.parse(lines.find((l) => l.key === '[29]')?.source_row ?? '{}').label, 'item, "29"');

    // The verify job is listed with the other jobs, and its progress shows its ranges.
    const listed = (await listJobs({ mappingId })).find((j) => j.id === report.jobId);
    assert.equal(listed?.kind, 'verify');
    const progress = await getJobProgress(report.jobId);
    assert.equal(progress.chunkCounts.done, 1);
    assert.equal(progress.totals.read, 30);
    assert.equal(await waitForJob(report.jobId), 'completed');
  });
});
