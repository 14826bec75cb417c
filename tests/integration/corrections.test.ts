import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { listDiffs } from '@/lib/consistency/list-diffs';
import { prisma } from '@/lib/db/client';
import { editErrorRow, replayOneErrorRow } from '@/lib/jobs/edit-error-row';
import { startMigration } from '@/lib/jobs/start-migration';
import { startRepair } from '@/lib/jobs/start-repair';
import { startReplay } from '@/lib/jobs/start-replay';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { allDiffs, closeVerifyTest, countsOf, freshPgPair, pgMapping, verificationAfter, verifyNow } from './support/verify';
import { waitForJob } from './support/wait';

const SOURCE_DB = 'corrections_src';
const TARGET_DB = 'corrections_tgt';

let actor: Actor;
let source: pg.Client;
let target: pg.Client;
let mappingId: string;
let migrationId: string;
const workers: SpawnedWorker[] = [];

const ROWS = 2_500;
const allMatched = { matched: ROWS, different: 0, missing: 0, extra: 0, nullKeys: 0, duplicateKeys: 0 };

before(async () => {
  ({ actor, source, target } = await freshPgPair(SOURCE_DB, TARGET_DB));
  // Row 10 carries row 9's email: the target's unique email refuses it, so it becomes an error row.
  await source.query(`CREATE TABLE people (id int PRIMARY KEY, email text, name text)`);
  await source.query(`INSERT INTO people SELECT g, 'p' || CASE WHEN g = 10 THEN 9 ELSE g END || '@example.com', 'Person ' || g FROM generate_series(1, ${ROWS}) g`);
  await target.query(`CREATE TABLE contacts (id int PRIMARY KEY, email text NOT NULL, name text, CONSTRAINT contacts_email_key UNIQUE (email))`);
  // Plain copies: the verification hashes ranges in both databases (aligned mode with a plan).
  const mapping = await pgMapping(actor, SOURCE_DB, TARGET_DB, 'corrections people → contacts', {
    source: { table: 'people', key: ['id'] },
    target: { table: 'contacts', key: ['id'] },
    fields: [
      { target: 'id', sources: ['id'] },
      { target: 'email', sources: ['email'] },
      { target: 'name', sources: ['name'] },
    ],
  });
  mappingId = mapping.id;
  workers.push(spawnWorker(), spawnWorker());
});

after(() => closeVerifyTest(workers, [source, target]));

const contact = async (id: number) => (await target.query('SELECT email, name FROM contacts WHERE id = $1', [id])).rows[0];

/** The open error row of a job for one source key. */
const errorRowOf = (jobId: string, key: number) =>
  prisma().errorRow.findFirstOrThrow({ where: { jobId, sourceKeyText: `[${key}]` }, select: { id: true, code: true, stage: true, resolvedAt: true, sourceRow: true } });

describe('hand-corrected rows', () => {
  test('an edit that still fails is not a correction; the one that lands is, with who and when', async () => {
    const migration = await startMigration(actor, { mappingId, options: { chunkRows: 1_000, batchRows: 500 } });
    migrationId = migration.id;
    assert.equal(await waitForJob(migration.id), 'completed_with_errors');
    await verificationAfter(migration.id);
    const failed = await errorRowOf(migration.id, 10);
    assert.equal(failed.stage, 'write');

    await editErrorRow(actor, migration.id, failed.id, { values: { email: 'p11@example.com' } });
    const again = await replayOneErrorRow(actor, migration.id, failed.id);
    assert.equal(again.landed, false, 'p11@ belongs to row 11');
    assert.equal(await prisma().rowCorrection.count({ where: { mappingId } }), 0, 'an edit that did not land corrects nothing');

    await editErrorRow(actor, migration.id, failed.id, { values: { email: 'p10@example.com' } });
    assert.deepEqual(await replayOneErrorRow(actor, migration.id, failed.id), { landed: true });
    const correction = await prisma().rowCorrection.findUniqueOrThrow({
      where: { mappingId_sourceKeyText: { mappingId, sourceKeyText: '[10]' } },
      select: { sourceKey: true, sourceRow: true, errorRowId: true, correctedByEmail: true },
    });
    assert.deepEqual(correction, {
      sourceKey: [10],
      sourceRow: { id: 10, email: 'p10@example.com', name: 'Person 10' },
      errorRowId: failed.id,
      correctedByEmail: actor.email,
    });
  });

  test('verification compares the corrected key with the correction and the drill-down says who corrected it', async () => {
    const report = await verifyNow(actor, mappingId);
    const { plan } = await prisma().consistencyReport.findUniqueOrThrow({ where: { id: report.id }, select: { plan: true } });
    assert.ok(plan, 'the ranges are hashed in the databases first');
    assert.deepEqual(countsOf(report), allMatched);

    const page = await listDiffs(report.id, { take: 100 });
    assert.equal(page.corrections?.total, 1);
    const [note] = page.corrections?.rows ?? [];
    assert.deepEqual(note && { key: note.sourceKey, by: note.correctedByEmail, errorRow: note.errorRow }, {
      key: [10],
      by: actor.email,
      errorRow: { id: (await errorRowOf(migrationId, 10)).id, jobId: migrationId },
    });
    assert.ok(note.correctedAt, 'with the time it was corrected');
    const searched = await listDiffs(report.id, { key: '10', take: 100 });
    assert.deepEqual(searched.corrections?.rows.map((c) => c.sourceKey), [[10]]);
    const other = await listDiffs(report.id, { key: '77', take: 100 });
    assert.equal(other.corrections?.total, 0);
  });

  test('a repair writes the corrected row, not the source row, for a corrected key', async () => {
    await target.query(`UPDATE contacts SET name = 'Tampered' WHERE id = 10`);
    const tampered = await verifyNow(actor, mappingId);
    assert.deepEqual(countsOf(tampered), { ...allMatched, matched: ROWS - 1, different: 1 });
    const [diff] = await allDiffs(tampered.id, 'different');
    assert.deepEqual(diff.fields, [{ field: 'name', source: 'Person 10', target: 'Tampered' }], 'compared with the correction: only the name differs');
    const [listed] = (await listDiffs(tampered.id, { kind: 'different', take: 10 })).diffs;
    assert.equal(listed.correction?.correctedByEmail, actor.email, 'the difference says who corrected the key');

    const repair = await startRepair(actor, tampered.id, { deleteExtra: false });
    assert.equal(await waitForJob(repair.id), 'completed', 'no unique violation: the corrected email is written');
    assert.equal(await prisma().errorRow.count({ where: { jobId: repair.id } }), 0);
    assert.deepEqual(await contact(10), { email: 'p10@example.com', name: 'Person 10' });
    assert.deepEqual(countsOf(await verificationAfter(repair.id)), allMatched);
  });

  test('running the migration again, even as a full reload, keeps the correction', async () => {
    const rerun = await startMigration(actor, { mappingId, options: { chunkRows: 1_000, batchRows: 500 } });
    assert.equal(await waitForJob(rerun.id), 'completed');
    assert.equal(await prisma().errorRow.count({ where: { jobId: rerun.id } }), 0);
    assert.deepEqual(await contact(10), { email: 'p10@example.com', name: 'Person 10' });

    const reload = await startMigration(actor, { mappingId, options: { chunkRows: 1_000, batchRows: 500, fullReload: true }, confirmFullReload: 'contacts' });
    assert.equal(await waitForJob(reload.id), 'completed');
    assert.deepEqual(await contact(10), { email: 'p10@example.com', name: 'Person 10' });
    assert.deepEqual(countsOf(await verificationAfter(reload.id)), allMatched);
  });

  test('a hash that agrees with the source does not settle a corrected key whose target lost the correction', async () => {
    // The target now holds the source's original row 10: the whole table hashes equal on both sides.
    await target.query(`ALTER TABLE contacts DROP CONSTRAINT contacts_email_key`);
    await target.query(`UPDATE contacts SET email = 'p9@example.com' WHERE id = 10`);
    // Three ranges: the one holding key 10 counts it, the others (with a lower bound) do not.
    const report = await verifyNow(actor, mappingId, { settings: { rangeRows: 1_000 } });
    assert.equal(report.rangesTotal, 3);
    assert.deepEqual(countsOf(report), { ...allMatched, matched: ROWS - 1, different: 1 });
    const [diff] = await allDiffs(report.id, 'different');
    assert.deepEqual(diff.key, [10]);
    assert.deepEqual(diff.fields, [{ field: 'email', source: 'p10@example.com', target: 'p9@example.com' }]);
    await target.query(`UPDATE contacts SET email = 'p10@example.com' WHERE id = 10`);
    await target.query(`ALTER TABLE contacts ADD CONSTRAINT contacts_email_key UNIQUE (email)`);
  });

  test('a run that fails a corrected key again records the corrected row; replaying it replays the correction', async () => {
    // Another target row takes the corrected email: the next run fails row 10 again, from its corrected values.
    await target.query(`UPDATE contacts SET email = 'moved@example.com' WHERE id = 10`);
    await target.query(`INSERT INTO contacts VALUES (9999, 'p10@example.com', 'Holder')`);
    const rerun = await startMigration(actor, { mappingId, options: { chunkRows: 1_000, batchRows: 500 } });
    assert.equal(await waitForJob(rerun.id), 'completed_with_errors');
    const failed = await errorRowOf(rerun.id, 10);
    assert.equal((failed.sourceRow as { email: string }).email, 'p10@example.com', 'the run used the corrected row');

    await target.query(`DELETE FROM contacts WHERE id = 9999`);
    const replay = await startReplay(actor, rerun.id, {});
    assert.equal(await waitForJob(replay.id), 'completed', 'not read again from the source, whose row 10 still has row 9\'s email');
    assert.deepEqual(await contact(10), { email: 'p10@example.com', name: 'Person 10' });
    const correction = await prisma().rowCorrection.findUniqueOrThrow({ where: { mappingId_sourceKeyText: { mappingId, sourceKeyText: '[10]' } }, select: { errorRowId: true } });
    assert.equal(correction.errorRowId, (await errorRowOf(migrationId, 10)).id, 'a row replayed unedited leaves the correction as it was');
  });

  test('a later edit of the same key replaces the correction', async () => {
    await target.query(`UPDATE contacts SET email = 'moved@example.com' WHERE id = 10`);
    await target.query(`INSERT INTO contacts VALUES (9999, 'p10@example.com', 'Holder')`);
    const rerun = await startMigration(actor, { mappingId, options: { chunkRows: 1_000, batchRows: 500 } });
    assert.equal(await waitForJob(rerun.id), 'completed_with_errors');
    const failed = await errorRowOf(rerun.id, 10);

    await editErrorRow(actor, rerun.id, failed.id, { values: { email: 'p10.new@example.com' } });
    assert.deepEqual(await replayOneErrorRow(actor, rerun.id, failed.id), { landed: true });
    const correction = await prisma().rowCorrection.findUniqueOrThrow({
      where: { mappingId_sourceKeyText: { mappingId, sourceKeyText: '[10]' } },
      select: { sourceRow: true, errorRowId: true },
    });
    assert.deepEqual(correction, { sourceRow: { id: 10, email: 'p10.new@example.com', name: 'Person 10' }, errorRowId: failed.id });
    await target.query(`DELETE FROM contacts WHERE id = 9999`);
    assert.deepEqual(countsOf(await verifyNow(actor, mappingId)), allMatched);
  });
});
