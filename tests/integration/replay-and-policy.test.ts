import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { cancelJob, resumeJob } from '@/lib/jobs/control-job';
import { editErrorRow, replayOneErrorRow } from '@/lib/jobs/edit-error-row';
import { startMigration } from '@/lib/jobs/start-migration';
import { errorRowFilterSchema, listErrorRows } from '@/lib/jobs/error-rows';
import { startReplay } from '@/lib/jobs/start-replay';
import { saveMappingVersion } from '@/lib/saved-mappings/save-mapping';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import { mappingSpecSchema } from '@/lib/schemas/mapping-spec';
import { freshPgDatabase, jobTotals, testAdmin, testConnection, testMapping } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { waitForJob } from './support/wait';

const SOURCE_DB = 'ferry_it_replay_src';
const TARGET_DB = 'ferry_it_replay_tgt';
let actor: Actor;
let target: pg.Client;
const workers: SpawnedWorker[] = [];

// Status 'P' is unknown to v1 of the mapping (every 10th row); every 50th row has a bad email.
const specV1 = (statusMap: Record<string, string>) => ({
  source: { table: 'people', key: ['id'] },
  target: { table: 'contacts', key: ['id'] },
  fields: [
    { target: 'id', sources: ['id'] },
    { target: 'email', sources: ['email'], transforms: [{ op: 'email' }] },
    { target: 'status', sources: ['status'], transforms: [{ op: 'value_map', map: statusMap }] },
  ],
});

before(async () => {
  actor = await testAdmin();
  const source = await freshPgDatabase(SOURCE_DB);
  await source.query(`CREATE TABLE people (id int PRIMARY KEY, email text, status text)`);
  await source.query(`INSERT INTO people SELECT g, CASE WHEN g % 50 = 0 THEN 'nobody' ELSE 'p' || g || '@example.com' END,
                      CASE WHEN g % 10 = 0 THEN 'P' ELSE 'A' END FROM generate_series(1, 2000) g`);
  await source.end();
  target = await freshPgDatabase(TARGET_DB);
  await target.query(`CREATE TABLE contacts (id int PRIMARY KEY, email text NOT NULL, status text NOT NULL)`);
  workers.push(spawnWorker());
});

after(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await target?.end();
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
});

describe('replaying failed rows and error policies', () => {
  test('after a mapping fix, a replay lands the rows that now pass; the rest keep their new reason', async () => {
    const src = await testConnection(actor, 'postgres', SOURCE_DB);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const mapping = await testMapping(actor, 'it replay', src.id, tgt.id, specV1({ A: 'active' }));
    const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 500, batchRows: 100 } });
    assert.equal(await waitForJob(job.id), 'completed_with_errors');
    // 200 rows with status P, 40 with bad emails (every 50th is also every 10th: P too).
    assert.equal((await jobTotals(job.id)).failed, 200 + 40 - 40);

    await assert.rejects(resumeJob(actor, job.id), (e: unknown) => e instanceof AppError && e.code === 'illegal_transition');

    await saveMappingVersion(actor, mapping.id, { spec: mappingSpecSchema.parse(specV1({ A: 'active', P: 'prospect' })) });
    const replay = await startReplay(actor, job.id, {});
    assert.equal(await waitForJob(replay.id), 'completed_with_errors');
    const replayTotals = await jobTotals(replay.id);
    assert.deepEqual({ read: replayTotals.read, written: replayTotals.written, failed: replayTotals.failed }, { read: 200, written: 160, failed: 40 });

    const resolved = await prisma().errorRow.count({ where: { jobId: job.id, resolvedByJobId: replay.id } });
    assert.equal(resolved, 160);
    const open = await prisma().errorRow.findMany({ where: { jobId: job.id, resolvedAt: null }, select: { code: true, field: true, lastReplayJobId: true } });
    assert.equal(open.length, 40);
    assert.ok(open.every((e) => e.code === 'invalid_email' && e.field === 'email' && e.lastReplayJobId === replay.id));
    // The job page's list shows the version each row last failed with: the replay's.
    const listed = await listErrorRows(job.id, errorRowFilterSchema.parse({}));
    assert.equal(listed.total, 40);
    assert.deepEqual([...new Set(listed.rows.map((r) => r.mappingVersion))], [2]);
    const landed = await target.query(`SELECT count(*)::int AS n FROM contacts WHERE status = 'prospect'`);
    assert.equal(landed.rows[0].n, 160);
  });

  test('an analyst corrects one failed row, an admin replays it alone', async () => {
    const job = await prisma().job.findFirstOrThrow({ where: { mapping: { name: 'it replay' }, kind: 'migration' }, select: { id: true } });
    const row = await prisma().errorRow.findFirstOrThrow({ where: { jobId: job.id, resolvedAt: null }, orderBy: { id: 'asc' }, select: { id: true, sourceKey: true } });
    const analyst = { ...actor, role: 'analyst' as const };
    await assert.rejects(editErrorRow(analyst, job.id, row.id, { values: { id: 1 } }), (e: unknown) => e instanceof AppError && e.issues[0].path === 'body.values.id');
    await editErrorRow(analyst, job.id, row.id, { values: { email: 'Fixed.Person@Example.com' } });
    // Replaying writes to the target: the route lets only admins do it (README, who may do what).
    assert.deepEqual(await replayOneErrorRow(actor, job.id, row.id), { landed: true });
    const id = (row.sourceKey as number[])[0];
    const landed = await target.query('SELECT email, status FROM contacts WHERE id = $1', [id]);
    assert.deepEqual(landed.rows[0], { email: 'fixed.person@example.com', status: 'prospect' });
    const audit = await prisma().auditEntry.count({ where: { entityType: 'error_row', entityId: String(row.id) } });
    assert.equal(audit, 2);
  });

  test('an error policy pauses a job past N failed rows and says why; stop past P % fails it', async () => {
    await target.query('TRUNCATE contacts');
    const mapping = await prisma().mapping.findUniqueOrThrow({ where: { name: 'it replay' }, select: { id: true } });
    const paused = await startMigration(actor, {
      mappingId: mapping.id,
      version: 1,
      options: { chunkRows: 2000, batchRows: 100, errorPolicy: { action: 'pause', maxFailedRows: 25 } },
    });
    assert.equal(await waitForJob(paused.id, ['paused']), 'paused');
    const pausedJob = await prisma().job.findUniqueOrThrow({ where: { id: paused.id }, select: { stopReason: true } });
    assert.match(pausedJob.stopReason ?? '', /error policy: \d+ failed rows exceed the limit of 25/);
    const frozen = await jobTotals(paused.id);
    assert.ok(frozen.read < 2000 && frozen.failed > 25, `paused early: ${JSON.stringify(frozen)}`);
    // Not left paused in the shared test database, where later files' workers and sweepers look.
    assert.equal(await cancelJob(actor, paused.id), 'cancelled');

    const stopped = await startMigration(actor, {
      mappingId: mapping.id,
      version: 1,
      options: { chunkRows: 500, batchRows: 100, errorPolicy: { action: 'stop', maxFailedPercent: 5 } },
    });
    assert.equal(await waitForJob(stopped.id), 'failed');
    const stoppedJob = await prisma().job.findUniqueOrThrow({ where: { id: stopped.id }, select: { stopReason: true } });
    assert.match(stoppedJob.stopReason ?? '', /Stopped by the error policy: .* % of rows read failed, over the limit of 5 %/);
  });
});
