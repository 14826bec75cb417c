import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { prisma } from '@/lib/db/client';
import { startMigration } from '@/lib/jobs/start-migration';
import { startRepair } from '@/lib/jobs/start-repair';
import { saveMappingVersion } from '@/lib/saved-mappings/save-mapping';
import type { ConsistencyReportView } from '@/lib/schemas/consistency';
import { mappingSpecSchema } from '@/lib/schemas/mapping-spec';
import { jobTotals } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { closeVerifyTest, countsOf, freshPgPair, pgMapping, verificationAfter, verifyNow } from './support/verify';
import { waitForJob } from './support/wait';

const SOURCE_DB = 'repair_known_src';
const TARGET_DB = 'repair_known_tgt';

let actor: Actor;
let source: pg.Client;
let target: pg.Client;
let mappingId: string;
let latest: ConsistencyReportView;
const workers: SpawnedWorker[] = [];

const spec = (emailTransforms: unknown[]) => ({
  source: { table: 'people', key: ['id'] },
  target: { table: 'contacts', key: ['id'] },
  fields: [
    { target: 'id', sources: ['id'] },
    { target: 'email', sources: ['email'], transforms: emailTransforms },
    { target: 'name', sources: ['name'] },
  ],
});

before(async () => {
  ({ actor, source, target } = await freshPgPair(SOURCE_DB, TARGET_DB));
  // Two reasons: rows 10–14 are not email addresses, rows 20–22 have no name (the target requires one).
  await source.query(`CREATE TABLE people (id int PRIMARY KEY, email text, name text)`);
  await source.query(`
    INSERT INTO people
    SELECT g, CASE WHEN g BETWEEN 10 AND 14 THEN 'broken@@mail' ELSE 'p' || g || '@example.com' END,
           CASE WHEN g BETWEEN 20 AND 22 THEN NULL ELSE 'Person ' || g END
      FROM generate_series(1, 200) g`);
  await target.query(`CREATE TABLE contacts (id int PRIMARY KEY, email text NOT NULL, name text NOT NULL)`);
  const mapping = await pgMapping(actor, SOURCE_DB, TARGET_DB, 'repair known failures', spec([{ op: 'email' }]));
  mappingId = mapping.id;
  workers.push(spawnWorker(), spawnWorker());
});

after(() => closeVerifyTest(workers, [source, target]));

const eventsOf = (jobId: string, type: string) =>
  prisma().jobEvent.findMany({ where: { jobId, type }, orderBy: { id: 'asc' }, select: { message: true, data: true } });

/** Starts a repair of `report`, waits for it and for the verification it starts. */
async function repair(report: ConsistencyReportView, deleteExtra = false) {
  const started = await startRepair(actor, report.id, deleteExtra ? { deleteExtra, confirmDeleteExtra: 'contacts' } : { deleteExtra });
  const status = await waitForJob(started.id);
  latest = await verificationAfter(started.id);
  return { started, status, errorRows: await prisma().errorRow.count({ where: { jobId: started.id } }) };
}

const stillFailing = async (jobId: string) => (await eventsOf(jobId, 'still_failing')).map((e) => e.message).sort();

describe('repair and known failures', () => {
  test('on an unchanged mapping, a repair reports the known failures once per reason and records no error rows for them', async () => {
    const migration = await startMigration(actor, { mappingId, options: { chunkRows: 100, batchRows: 50 } });
    assert.equal(await waitForJob(migration.id), 'completed_with_errors');
    latest = await verificationAfter(migration.id);
    assert.deepEqual(countsOf(latest), { matched: 192, different: 0, missing: 8, extra: 0, nullKeys: 0, duplicateKeys: 0 });

    const first = await repair(latest);
    assert.equal(first.status, 'completed');
    assert.equal(first.errorRows, 0, 'the known failures are not recorded again');
    assert.deepEqual(
      first.started.stillFailing?.map((r) => [r.rows, r.code]),
      [
        [5, 'invalid_email'],
        [3, 'not_null'],
      ],
      'the dialog is told before the rows are read',
    );
    const messages = await stillFailing(first.started.id);
    assert.equal(messages.length, 2, messages.join(' | '));
    assert.match(messages[0], /^3 row\(s\) still fail: not_null in name \(validate\)/);
    assert.match(messages[1], /^5 row\(s\) still fail: invalid_email in email \(transform\)/);
    const [done] = await eventsOf(first.started.id, 'repaired');
    assert.equal((done.data as { stillFailing: number }).stillFailing, 8);
    assert.match(done.message, /8 row\(s\) still fail for the reasons they failed with before/);
    assert.deepEqual(await jobTotals(first.started.id).then((t) => [t.read, t.written, t.failed]), [0, 0, 0]);
    assert.equal(countsOf(latest).missing, 8);

    const second = await repair(latest);
    assert.equal(second.errorRows, 0);
    assert.equal((await stillFailing(second.started.id)).length, 2);
  });

  test('after a mapping fix a repair re-runs them; what fails again is recorded once, then known', async () => {
    await saveMappingVersion(actor, mappingId, { spec: mappingSpecSchema.parse(spec([])) });
    const fixed = await repair(latest);
    assert.equal(fixed.status, 'completed_with_errors');
    assert.deepEqual(fixed.started.stillFailing, [], 'a new version: nothing is known to fail yet');
    assert.deepEqual(await jobTotals(fixed.started.id).then((t) => [t.read, t.written, t.failed]), [8, 5, 3]);
    const recorded = await prisma().errorRow.findMany({ where: { jobId: fixed.started.id }, select: { code: true }, orderBy: { id: 'asc' } });
    assert.deepEqual(recorded.map((r) => r.code), ['not_null', 'not_null', 'not_null']);
    assert.deepEqual(await stillFailing(fixed.started.id), []);
    assert.equal(countsOf(latest).missing, 3);

    const again = await repair(latest);
    assert.equal(again.errorRows, 0);
    assert.deepEqual((await stillFailing(again.started.id)).map((m) => m.split(':')[0]), ['3 row(s) still fail']);
  });

  test('a row fixed at the source lands under the same version; a delete-only repair says how many rows it deleted', async () => {
    await source.query(`UPDATE people SET name = 'Named ' || id WHERE name IS NULL`);
    const landed = await repair(latest);
    assert.equal(landed.status, 'completed');
    assert.deepEqual(await jobTotals(landed.started.id).then((t) => [t.read, t.written, t.failed]), [3, 3, 0]);

    await target.query(`INSERT INTO contacts VALUES (901, 'ghost1@example.com', 'Ghost'), (902, 'ghost2@example.com', 'Ghost')`);
    const withExtras = await verifyNow(actor, mappingId);
    assert.deepEqual(countsOf(withExtras), { matched: 200, different: 0, missing: 0, extra: 2, nullKeys: 0, duplicateKeys: 0 });
    const deleting = await repair(withExtras, true);
    assert.equal(deleting.status, 'completed');
    const [done] = await eventsOf(deleting.started.id, 'repaired');
    assert.equal((done.data as { deleted: number }).deleted, 2);
    assert.match(done.message, /Deleted 2 extra row\(s\) from contacts/);
    assert.equal(countsOf(latest).extra, 0);
  });
});
