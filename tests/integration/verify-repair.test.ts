import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { prisma } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { startMigration } from '@/lib/jobs/start-migration';
import { startRepair } from '@/lib/jobs/start-repair';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { allDiffs, closeVerifyTest, countsOf, freshPgPair, keysOf, pgMapping, verificationAfter, verifyNow } from './support/verify';
import { waitForJob } from './support/wait';

const SOURCE_DB = 'verify_repair_src';
const TARGET_DB = 'verify_repair_tgt';

let actor: Actor;
let source: pg.Client;
let target: pg.Client;
let mappingId: string;
const workers: SpawnedWorker[] = [];

before(async () => {
  ({ actor, source, target } = await freshPgPair(SOURCE_DB, TARGET_DB));
  await source.query(`CREATE TABLE people (id int PRIMARY KEY, email text, name text)`);
  await source.query(`INSERT INTO people SELECT g, CASE WHEN g = 10 THEN 'broken@@mail' ELSE 'p' || g || '@example.com' END, 'Person ' || g FROM generate_series(1, 200) g`);
  await target.query(`CREATE TABLE contacts (id int PRIMARY KEY, email text NOT NULL, name text)`);
  const mapping = await pgMapping(actor, SOURCE_DB, TARGET_DB, 'verify repair people → contacts', {
    source: { table: 'people', key: ['id'] },
    target: { table: 'contacts', key: ['id'] },
    fields: [
      { target: 'id', sources: ['id'] },
      { target: 'email', sources: ['email'], transforms: [{ op: 'email' }] },
      { target: 'name', sources: ['name'] },
    ],
  });
  mappingId = mapping.id;
  workers.push(spawnWorker(), spawnWorker());
});

after(() => closeVerifyTest(workers, [source, target]));

describe('automatic verification and repair', () => {
  test('a migration verifies itself when it ends; the missing row links to its error row', async () => {
    const migration = await startMigration(actor, { mappingId, options: { chunkRows: 100, batchRows: 50 } });
    assert.equal(await waitForJob(migration.id), 'completed_with_errors');
    const report = await verificationAfter(migration.id);
    assert.equal(report.triggeredByJobId, migration.id);
    assert.deepEqual(countsOf(report), { matched: 199, different: 0, missing: 1, extra: 0, nullKeys: 0, duplicateKeys: 0 });
    assert.equal(report.score, 199 / 200);
    const [missing] = await allDiffs(report.id, 'missing');
    assert.deepEqual(missing.key, [10]);
    const errorRow = await prisma().errorRow.findFirstOrThrow({ where: { jobId: migration.id }, select: { id: true, code: true } });
    assert.deepEqual(missing.errorRow && { id: missing.errorRow.id, jobId: missing.errorRow.jobId, code: missing.errorRow.code }, {
      id: errorRow.id,
      jobId: migration.id,
      code: errorRow.code,
    });
  });

  test('repair re-syncs differing and missing rows, deletes extras only when confirmed, and verifies again', async () => {
    await target.query(`UPDATE contacts SET name = 'Tampered' WHERE id = 20`);
    await target.query(`DELETE FROM contacts WHERE id = 30`);
    await target.query(`INSERT INTO contacts VALUES (999, 'ghost@example.com', 'Ghost')`);
    await source.query(`UPDATE people SET email = 'p10@example.com' WHERE id = 10`);
    const before = await verifyNow(actor, mappingId);
    assert.deepEqual(countsOf(before), { matched: 197, different: 1, missing: 2, extra: 1, nullKeys: 0, duplicateKeys: 0 });
    assert.deepEqual(keysOf(await allDiffs(before.id, 'missing')), ['10', '30']);

    await assert.rejects(startRepair(actor, before.id, { deleteExtra: true, confirmDeleteExtra: 'contact' }), (error: AppError) => {
      assert.equal(error.status, 422);
      assert.equal(error.issues[0].path, 'body.confirmDeleteExtra');
      return true;
    });
    assert.equal(await prisma().job.count({ where: { kind: 'repair', parentJobId: before.jobId } }), 0, 'a refused repair starts nothing');

    const repair = await startRepair(actor, before.id, { deleteExtra: false });
    assert.equal(await waitForJob(repair.id), 'completed');
    const afterRepair = await verificationAfter(repair.id);
    assert.deepEqual(countsOf(afterRepair), { matched: 200, different: 0, missing: 0, extra: 1, nullKeys: 0, duplicateKeys: 0 });
    assert.equal((await target.query(`SELECT count(*)::int AS n FROM contacts WHERE id = 999`)).rows[0].n, 1, 'extras stay without confirmation');

    const deleting = await startRepair(actor, afterRepair.id, { deleteExtra: true, confirmDeleteExtra: 'contacts' });
    assert.equal(await waitForJob(deleting.id), 'completed');
    const final = await verificationAfter(deleting.id);
    assert.deepEqual(countsOf(final), { matched: 200, different: 0, missing: 0, extra: 0, nullKeys: 0, duplicateKeys: 0 });
    assert.equal(final.score, 1);
    const row = await target.query(`SELECT (SELECT count(*)::int FROM contacts) AS n, (SELECT name FROM contacts WHERE id = 20) AS name`);
    assert.deepEqual(row.rows[0], { n: 200, name: 'Person 20' });
  });
});
