import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { prisma } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { startMigration } from '@/lib/jobs/start-migration';
import { startRepair } from '@/lib/jobs/start-repair';
import { startReplay } from '@/lib/jobs/start-replay';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { PG_URL } from './support/test-env';
import { closeVerifyTest, countsOf, freshPgPair, pgMapping, verifyNow } from './support/verify';
import { waitForJob } from './support/wait';

/**
 * Jobs that empty or delete from a target table (a full reload, a repair deleting extra
 * rows) never run beside another job writing that table: whichever comes second is refused
 * with 409 naming the job that holds the table, and can start once that job has finished.
 */

const SOURCE_DB = 'ferry_it_lease_src';
const TARGET_DB = 'ferry_it_lease_tgt';

let actor: Actor;
let source: pg.Client;
let target: pg.Client;
const workers: SpawnedWorker[] = [];
/** Mappings into one target table ("contacts"), and one into another table. */
const mappings: { all: string; vips: string; archive: string } = { all: '', vips: '', archive: '' };

const spec = (filter: unknown[], table = 'contacts') => ({
  source: { table: 'people', key: ['id'], filter },
  target: { table, key: ['id'] },
  fields: [
    { target: 'id', sources: ['id'] },
    { target: 'email', sources: ['email'], transforms: [{ op: 'email' }] },
    { target: 'name', sources: ['name'] },
  ],
});

before(async () => {
  ({ actor, source, target } = await freshPgPair(SOURCE_DB, TARGET_DB));
  await source.query(`CREATE TABLE people (id int PRIMARY KEY, email text, name text)`);
  // Person 10's email is refused by the mapping: every run leaves an error row to replay.
  await source.query(`INSERT INTO people SELECT g, CASE WHEN g = 10 THEN 'broken@@mail' ELSE 'p' || g || '@example.com' END, 'Person ' || g FROM generate_series(1, 1000) g`);
  await target.query(`CREATE TABLE contacts (id int PRIMARY KEY, email text NOT NULL, name text)`);
  await target.query(`CREATE TABLE archive (id int PRIMARY KEY, email text NOT NULL, name text)`);
  mappings.all = (await pgMapping(actor, SOURCE_DB, TARGET_DB, 'it lease people → contacts', spec([]))).id;
  mappings.vips = (await pgMapping(actor, SOURCE_DB, TARGET_DB, 'it lease vips → contacts', spec([{ column: 'id', op: 'lte', value: 100 }]))).id;
  mappings.archive = (await pgMapping(actor, SOURCE_DB, TARGET_DB, 'it lease people → archive', spec([], 'archive'))).id;
  // Room for the jobs a test holds back while the planner of the next one runs.
  workers.push(spawnWorker({ WORKER_CONCURRENCY: '4' }), spawnWorker({ WORKER_CONCURRENCY: '4' }));
});

after(() => closeVerifyTest(workers, [source, target]));

/**
 * Holds back every write to contacts (a SHARE lock in an open transaction), so that a job
 * writing it stays active for as long as the test needs; release() lets the writes through.
 */
async function holdWrites(table = 'contacts'): Promise<{ release: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: PG_URL(TARGET_DB) });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${table} IN SHARE MODE`);
  return {
    release: async () => {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/** The refusal of a start while another job holds the table: 409, its code, and the holder named. */
function busyWith(holder: { id: string }, ...words: RegExp[]) {
  return (error: unknown) => {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    assert.equal(error.status, 409);
    assert.equal(error.code, 'target_busy');
    assert.match(error.message, new RegExp(holder.id));
    for (const word of words) assert.match(error.message, word);
    return true;
  };
}

const fullReload = (mappingId: string, table = 'contacts') => ({ mappingId, options: { chunkRows: 250, fullReload: true }, confirmFullReload: table });
const jobsOn = (mappingId: string) => prisma().job.count({ where: { mappingId, kind: { not: 'verify' } } });
const contacts = async () => (await target.query<{ n: number }>('SELECT count(*)::int AS n FROM contacts')).rows[0].n;

let firstMigration: { id: string };

describe('a lease on the target table for jobs that empty or delete from it', () => {
  test('a full reload asked for while a migration writes the table is refused, naming the migration; it starts once that has finished', async () => {
    const hold = await holdWrites();
    try {
      firstMigration = await startMigration(actor, { mappingId: mappings.all, options: { chunkRows: 250 } });
      await waitForJob(firstMigration.id, ['running']);
      const before = await jobsOn(mappings.vips);
      // Another mapping, the same target table: the lease is the table's, not the mapping's.
      await assert.rejects(startMigration(actor, fullReload(mappings.vips)), busyWith(firstMigration, /migration/, /running since \d{4}-\d\d-\d\d \d\d:\d\d/, /"contacts"/));
      assert.equal(await jobsOn(mappings.vips), before, 'a refused start creates no job');
      // A full reload of another table is not held up.
      const other = await startMigration(actor, fullReload(mappings.archive, 'archive'));
      assert.equal(await waitForJob(other.id), 'completed_with_errors');
    } finally {
      await hold.release();
    }
    assert.equal(await waitForJob(firstMigration.id), 'completed_with_errors');
    assert.equal(await contacts(), 999);

    const reload = await startMigration(actor, fullReload(mappings.vips));
    assert.equal(await waitForJob(reload.id), 'completed_with_errors');
    assert.equal(await contacts(), 99, 'the table was emptied, then loaded with the 100 vips less the refused one');
  });

  test('while a full reload is active, migrations and replays of the table are refused, naming the reload', async () => {
    const hold = await holdWrites();
    let reload: { id: string };
    try {
      reload = await startMigration(actor, fullReload(mappings.all));
      await waitForJob(reload.id, ['planning', 'running']);
      await assert.rejects(startMigration(actor, { mappingId: mappings.vips, options: {} }), busyWith(reload, /full reload/));
      await assert.rejects(startReplay(actor, firstMigration.id, {}), busyWith(reload, /full reload/));
    } finally {
      await hold.release();
    }
    assert.equal(await waitForJob(reload.id), 'completed_with_errors');
    const replay = await startReplay(actor, firstMigration.id, {});
    assert.equal(await waitForJob(replay.id), 'completed_with_errors');
  });

  test('concurrent starts: one full reload at most, and never beside another writer', async () => {
    let hold = await holdWrites();
    let created: { id: string }[] = [];
    try {
      const reloads = await Promise.allSettled([mappings.all, mappings.vips, mappings.all, mappings.vips, mappings.all].map((id) => startMigration(actor, fullReload(id))));
      created = reloads.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      assert.equal(created.length, 1, `exactly one reload starts: ${reloads.map((r) => r.status).join(', ')}`);
      for (const refused of reloads) if (refused.status === 'rejected') busyWith(created[0], /full reload/)(refused.reason);
    } finally {
      await hold.release();
    }
    for (const job of created) assert.equal(await waitForJob(job.id), 'completed_with_errors');

    // Plain migrations and reloads racing: a reload is never active beside another job.
    hold = await holdWrites();
    try {
      const racing = await Promise.allSettled([
        startMigration(actor, { mappingId: mappings.vips, options: {} }),
        startMigration(actor, fullReload(mappings.all)),
        startMigration(actor, { mappingId: mappings.vips, options: {} }),
        startMigration(actor, fullReload(mappings.vips)),
        startMigration(actor, { mappingId: mappings.all, options: {} }),
      ]);
      created = racing.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      for (const refused of racing) if (refused.status === 'rejected') assert.equal((refused.reason as AppError).code, 'target_busy');
      const started = await prisma().job.findMany({ where: { id: { in: created.map((c) => c.id) } }, select: { options: true } });
      const reloading = started.filter((job) => (job.options as { fullReload?: boolean }).fullReload).length;
      assert.ok(created.length >= 1, 'the first start is never refused');
      assert.ok(reloading === 0 || created.length === 1, `a reload started beside ${created.length - 1} other job(s)`);
    } finally {
      await hold.release();
    }
    for (const job of created) assert.notEqual(await waitForJob(job.id), 'failed');
  });

  test('a repair that deletes extra rows is refused while a migration writes the table; a repair without deletes is not', async () => {
    await target.query(`INSERT INTO contacts VALUES (5000, 'ghost@example.com', 'Ghost') ON CONFLICT DO NOTHING`);
    const report = await verifyNow(actor, mappings.all);
    assert.equal(countsOf(report).extra, 1, 'the verification finds the extra row');
    const hold = await holdWrites();
    let migration: { id: string };
    let repair: { id: string };
    try {
      migration = await startMigration(actor, { mappingId: mappings.vips, options: {} });
      await waitForJob(migration.id, ['running']);
      await assert.rejects(startRepair(actor, report.id, { deleteExtra: true, confirmDeleteExtra: 'contacts' }), busyWith(migration, /migration/));
      repair = await startRepair(actor, report.id, { deleteExtra: false });
    } finally {
      await hold.release();
    }
    assert.equal(await waitForJob(migration.id), 'completed_with_errors');
    assert.notEqual(await waitForJob(repair.id), 'failed');
    const deleting = await startRepair(actor, report.id, { deleteExtra: true, confirmDeleteExtra: 'contacts' });
    // Person 10 fails again exactly as its open error row says: reported once, not recorded again; the extra row goes.
    assert.equal(await waitForJob(deleting.id), 'completed');
    assert.equal(await prisma().jobEvent.count({ where: { jobId: deleting.id, type: 'still_failing' } }), 1);
    assert.equal((await target.query('SELECT count(*)::int AS n FROM contacts WHERE id = 5000')).rows[0].n, 0);
  });
});
