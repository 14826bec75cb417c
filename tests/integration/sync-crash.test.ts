import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { prisma } from '@/lib/db/client';
import { createSync } from '@/lib/sync/save-sync';
import { startSync, stopSync } from '@/lib/sync/start-sync';
import { syncCheckpointSchema, syncSettingsSchema } from '@/lib/schemas/sync-settings';
import { freshPgDatabase, testAdmin, testConnection, testMapping } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { closeSyncTest } from './support/sync';
import { expectEventually, waitForJob } from './support/wait';

const SOURCE_DB = 'ferry_it_sync_crash_src';
const TARGET_DB = 'ferry_it_sync_crash_tgt';
const recovery = { WORKER_CONCURRENCY: '2', WORKER_LOCK_MS: '4000', WORKER_SWEEP_MS: '1000' };
const ROWS = 20_000;

let actor: Actor;
let source: pg.Client;
let target: pg.Client;
const workers: SpawnedWorker[] = [];

const spec = {
  source: { table: 'accounts', key: ['id'] },
  target: { table: 'accounts', key: ['id'] },
  fields: [
    { target: 'id', sources: ['id'] },
    { target: 'owner', sources: ['owner'] },
    { target: 'balance', sources: ['balance'] },
  ],
};

/** The whole table as one fingerprint: equal fingerprints, equal tables. */
const fingerprint = async (client: pg.Client) =>
  (await client.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(id || ':' || owner || ':' || balance, ',' ORDER BY id), '')) AS h FROM accounts`)).rows[0];

before(async () => {
  actor = await testAdmin();
  source = await freshPgDatabase(SOURCE_DB);
  target = await freshPgDatabase(TARGET_DB);
  await source.query('CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance bigint NOT NULL)');
  await source.query(`INSERT INTO accounts SELECT g, 'owner ' || g, 0 FROM generate_series(1, ${ROWS}) g`);
  await target.query('CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance bigint NOT NULL)');
  for (let i = 0; i < 2; i++) workers.push(spawnWorker(recovery));
});

after(() => closeSyncTest(workers, source, SOURCE_DB, [target]));

describe('sync crash safety', () => {
  test('a log reader killed with SIGKILL mid-apply is continued by another worker from the acknowledged position: nothing lost, nothing doubled', async () => {
    const src = await testConnection(actor, 'postgres', SOURCE_DB);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const mapping = await testMapping(actor, 'sync crash accounts', src.id, tgt.id, spec);
    const sync = await createSync(actor, { mappingId: mapping.id, settings: syncSettingsSchema.parse({ mode: 'log', initialLoad: 'full' }) });
    const { jobId, loadJobId } = await startSync(actor, sync.id);
    assert.equal(await waitForJob(loadJobId!, ['completed'], 60_000), 'completed');

    // A writer: balances move by +1 in large transactions (a doubled or lost change shows in the sums), rows come and go.
    let writing = true;
    const writer = (async () => {
      let next = ROWS + 1;
      for (let round = 0; writing || round < 40; round++) {
        await source.query('BEGIN');
        await source.query(`UPDATE accounts SET balance = balance + 1 WHERE id % 29 = $1`, [round % 29]);
        await source.query(`INSERT INTO accounts SELECT g, 'late ' || g, 0 FROM generate_series($1::int, $1::int + 49) g`, [next]);
        await source.query(`DELETE FROM accounts WHERE id IN (SELECT id FROM accounts WHERE id % 97 = $1 LIMIT 5)`, [round % 97]);
        await source.query('COMMIT');
        next += 50;
        if (round >= 120) break;
      }
    })();

    const unit = await expectEventually(async () => {
      const batches = await prisma().syncBatch.count({ where: { syncId: sync.id } });
      const chunk = await prisma().chunk.findFirstOrThrow({ where: { jobId } });
      if (batches < 3 || chunk.status !== 'running' || !chunk.workerId) throw new Error('the reader has not applied three batches yet');
      return chunk;
    }, { timeoutMs: 60_000 });
    const pid = Number(unit.workerId!.split('-').at(-2));
    const victim = workers.find((w) => w.process.pid === pid);
    assert.ok(victim, `the reader runs in one of our workers (${unit.workerId})`);
    await victim.stop('SIGKILL');
    // Only what the target committed was acknowledged: the slot has not moved past the stored position.
    const stored = syncCheckpointSchema.parse((await prisma().chunk.findUniqueOrThrow({ where: { id: unit.id } })).cursor);
    assert.equal(stored.from.kind, 'postgres');
    const lsn = stored.from.kind === 'postgres' ? stored.from.lsn : '0/0';
    const slot = await source.query(`SELECT confirmed_flush_lsn <= $1::pg_lsn AS behind FROM pg_replication_slots WHERE slot_name LIKE 'ferry_%' AND database = $2`, [lsn, SOURCE_DB]);
    assert.equal(slot.rows[0].behind, true);
    workers.push(spawnWorker(recovery));

    writing = false;
    await writer;
    const want = await fingerprint(source);
    await expectEventually(async () => {
      const got = await fingerprint(target);
      return got.n === want.n && got.h === want.h;
    }, { timeoutMs: 90_000 });
    const events = await prisma().jobEvent.findMany({ where: { jobId }, select: { type: true } });
    assert.ok(events.some((e) => e.type === 'chunk_taken_over' || e.type === 'chunk_retry'), 'the takeover is in the job log');
    assert.equal(await prisma().errorRow.count({ where: { jobId } }), 0);
    await stopSync(actor, sync.id);
    assert.equal(await waitForJob(jobId, ['cancelled'], 30_000), 'cancelled');
  });
});
