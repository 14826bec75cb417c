/**
 * Cursor syncs end to end, through real workers, from a PostgreSQL and a MariaDB source into
 * PostgreSQL: the initial load and then changes, equal cursor values across a batch boundary,
 * a row updated while a run reads, a late commit inside the lag window (and its loss with no
 * lag), a cursor moving backwards, "from now", the (cursor, key) index check, and the
 * scheduled verification.
 */
import './support/test-env';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { prisma } from '@/lib/db/client';
import { cachedConnector } from '@/lib/engine/connector-cache';
import { cursorIndexWarning } from '@/lib/sync/cursor-index-warning';
import { stopSync } from '@/lib/sync/start-sync';
import {
  eventsOf,
  fx,
  insertRows,
  mariaSource,
  postgresSource,
  ranAfter,
  range,
  sleep,
  src,
  startCursorSync,
  stop,
  tables,
  targetIds,
  targetRows,
  useSyncDatabases,
} from './support/cursor-sync';
import { testConnection } from './support/fixtures';
import { expectEventually, waitForJob } from './support/wait';

useSyncDatabases('ferry_it_sync_cursor_src', 'ferry_it_sync_cursor_tgt');

for (const system of [postgresSource, mariaSource]) {
  describe(`cursor sync from ${system.kind === 'postgres' ? 'PostgreSQL' : 'MariaDB'}`, () => {
    test('initial load, then equal cursor values across batch boundaries, a row updated during a run, and a cursor moving backwards reported', async () => {
      const table = `${system.prefix}_edges`;
      await tables(system, table, 30);
      const { sync, jobId } = await startCursorSync(system, table, { batchRows: 10 });
      assert.deepEqual(await targetIds(table), range(1, 30), 'the initial load copied every row');

      // 25 rows with one stamp: batches of 10 cut through equal cursor values; the key breaks the tie.
      await insertRows(system, table, range(101, 125), system.now);
      await expectEventually(async () => (await targetIds(table)).filter((id) => id > 100).length === 25, { timeoutMs: 20_000 });

      // 1000 rows in one run of 100 batches; two of them change while it reads.
      await insertRows(system, table, range(1001, 2000), system.now);
      const during = await expectEventually(
        async () => {
          const { rows } = await fx.target.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE id > 1000`);
          assert.ok(rows[0].n > 0, 'the run has not begun');
          return rows[0].n;
        },
        { timeoutMs: 20_000, intervalMs: 20 },
      );
      await src(system).exec(`UPDATE ${table} SET name = 'Changed during the run', updated_at = ${system.now} WHERE id IN (1001, 2000)`);
      assert.ok(during < 1000, `the update came while the run was reading (${during} of 1000 rows were in)`);
      await expectEventually(
        async () => {
          const rows = (await targetRows(table)).filter((r) => r.id > 1000);
          assert.equal(rows.length, 1000);
          assert.equal(rows.find((r) => r.id === 1001)?.name, 'Changed during the run', 'a row passed before the update gets it on the next run');
          assert.equal(rows.find((r) => r.id === 2000)?.name, 'Changed during the run');
          return true;
        },
        { timeoutMs: 30_000 },
      );
      assert.equal(await prisma().errorRow.count({ where: { jobId } }), 0);

      // Every stamp set back a day (a restored backup, a clock set back): reported, nothing read below the checkpoint.
      await src(system).exec(`UPDATE ${table} SET updated_at = ${system.dayEarlier('updated_at')}, name = 'Moved back'`);
      const [moved] = await expectEventually(async () => {
        const events = await eventsOf(jobId, 'cursor_cursor_moved_back');
        assert.ok(events.length > 0, 'not reported yet');
        return events;
      });
      assert.equal(moved.level, 'warn');
      assert.match(moved.message, /below the checkpoint/);
      assert.equal((await targetRows(table)).filter((r) => r.name === 'Moved back').length, 0);
      await stop(sync.id, jobId);
    });

    test('a late commit inside the lag window is read; with no lag it is lost', async () => {
      for (const lagMs of [3000, 0]) {
        const table = `${system.prefix}_late_${lagMs}`;
        await tables(system, table, 0);
        const { sync, jobId } = await startCursorSync(system, table, { settings: { lagMs, initialLoad: 'from_now' } });
        const writer = await system.session();
        try {
          // L is stamped first and committed last; M, stamped after it, commits in between.
          await writer.exec('BEGIN');
          await insertRows(system, table, [1], system.now, undefined, writer);
          await sleep(300);
          await insertRows(system, table, [2], system.now);
          const committedM = Date.now();
          if (lagMs > 0) {
            await ranAfter(sync.id, committedM + 100);
            assert.deepEqual(await targetIds(table), [], 'M waits for the lag');
          } else {
            await expectEventually(async () => (await targetIds(table)).includes(2));
          }
          await writer.exec('COMMIT');
          const committedL = Date.now();
          if (lagMs > 0) {
            await expectEventually(async () => (await targetIds(table)).length === 2, { timeoutMs: 20_000 });
            assert.deepEqual(await targetIds(table), [1, 2]);
          } else {
            // Two full runs later L is still missing: its stamp is below the checkpoint M moved.
            await ranAfter(sync.id, committedL + 2500);
            assert.deepEqual(await targetIds(table), [2]);
          }
        } finally {
          await writer.close();
        }
        await stop(sync.id, jobId);
      }
    });

    test('"from now" leaves existing rows alone and reads the changes after the start', async () => {
      const table = `${system.prefix}_from_now`;
      await tables(system, table, 20);
      const { sync, jobId, loadJobId } = await startCursorSync(system, table, { settings: { initialLoad: 'from_now' } });
      assert.equal(loadJobId, null);
      await insertRows(system, table, [100], system.now);
      await src(system).exec(`UPDATE ${table} SET name = 'Touched', updated_at = ${system.now} WHERE id = 5`);
      await expectEventually(async () => (await targetIds(table)).length === 2);
      await ranAfter(sync.id, Date.now() + 1500);
      const rows = await targetRows(table);
      assert.deepEqual(rows.map((r) => r.id), [5, 100]);
      assert.equal(rows[0].name, 'Touched');
      await stop(sync.id, jobId);
    });

    test('the index check asks for an index on (cursor, key)', async () => {
      const table = `${system.prefix}_indexed`;
      const s = src(system);
      await s.exec(`DROP TABLE IF EXISTS ${table}`);
      await s.exec(`CREATE TABLE ${table} (id int PRIMARY KEY, name varchar(100), updated_at ${system.stamp})`);
      const connector = await cachedConnector((await testConnection(fx.actor, system.kind, fx.sourceDb)).id);
      const warning = () => cursorIndexWarning(connector, table, 'updated_at', ['id']);
      assert.match((await warning()) ?? '', new RegExp(`No index of ${table} starts with updated_at: .* \\(updated_at, id\\)`));
      await s.exec(`CREATE INDEX ${table}_by_time ON ${table} (updated_at)`);
      if (system.kind === 'postgres') {
        assert.match((await warning()) ?? '', /index pg_indexed_by_time starts with updated_at but does not continue with the key/);
        // A partial index does not hold every row.
        await s.exec(`CREATE INDEX ${table}_partial ON ${table} (updated_at, id) WHERE name IS NOT NULL`);
        assert.match((await warning()) ?? '', /does not continue with the key/);
        await s.exec(`CREATE INDEX ${table}_by_time_id ON ${table} (updated_at, id) INCLUDE (name)`);
      } else {
        assert.equal(await warning(), null, 'an InnoDB secondary index ends with the primary key');
        await s.exec(`DROP INDEX ${table}_by_time ON ${table}`);
        await s.exec(`CREATE INDEX ${table}_by_time_id ON ${table} (updated_at, id)`);
      }
      assert.equal(await warning(), null);
    });
  });
}

describe('scheduled verification of a sync', () => {
  test('when due, a verification of the sync’s mapping version starts as the sync job’s child, once per interval', async () => {
    const table = 'pg_verified';
    await tables(postgresSource, table, 50);
    const { sync, jobId } = await startCursorSync(postgresSource, table, { settings: { verifyMinutes: 1 } });
    // Not due right after the start: the first is an interval after the sync started.
    await ranAfter(sync.id, Date.now() + 1500);
    assert.equal(await prisma().job.count({ where: { parentJobId: jobId, kind: 'verify' } }), 0);

    const dueSince = new Date(Date.now() - 2 * 60_000);
    await prisma().sync.update({ where: { id: sync.id }, data: { lastVerifyAt: dueSince } });
    const verify = await expectEventually(() => prisma().job.findFirstOrThrow({ where: { parentJobId: jobId, kind: 'verify' } }), { timeoutMs: 20_000 });
    const syncJob = await prisma().job.findUniqueOrThrow({ where: { id: jobId }, select: { mappingVersionId: true } });
    assert.equal(verify.mappingVersionId, syncJob.mappingVersionId);
    assert.equal(await waitForJob(verify.id, undefined, 60_000), 'completed');
    const report = await prisma().consistencyReport.findFirstOrThrow({ where: { jobId: verify.id } });
    assert.equal(report.score, 1);
    const row = await prisma().sync.findUniqueOrThrow({ where: { id: sync.id } });
    assert.ok(row.lastVerifyAt && row.lastVerifyAt > dueSince);
    assert.equal((await eventsOf(jobId, 'verify_started')).length, 1);

    await ranAfter(sync.id, Date.now() + 2000);
    assert.equal(await prisma().job.count({ where: { parentJobId: jobId, kind: 'verify' } }), 1, 'not again before the interval');
    await stop(sync.id, jobId);
  });
});

describe('a stop pressed while a run is under way', () => {
  test('takes effect when that run ends, also when the run saw no batch after it (its read held by a lock on the source table)', async () => {
    const table = 'pg_stop_mid_run';
    await tables(postgresSource, table, 5);
    // No key reconciliation: it checks for a stop between its steps, and the run is to end without one.
    const { sync, jobId } = await startCursorSync(postgresSource, table, { settings: { initialLoad: 'from_now', reconcileMinutes: 0 } });
    const holder = src(postgresSource);
    await holder.exec('BEGIN');
    await holder.exec(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    try {
      // The next run's read waits for the lock (seen from another session: a transaction keeps one view of pg_stat_activity).
      await expectEventually(async () => {
        const { rows } = await fx.target.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`, [`%${table}%`]);
        return rows[0].n > 0;
      });
      assert.equal(await stopSync(fx.actor, sync.id), 'cancelling', 'the stop came while the unit ran');
    } finally {
      await holder.exec('COMMIT');
    }
    // The run reads nothing new and ends without a batch boundary; the stop must not wait for a delivery that no longer comes.
    assert.equal(await waitForJob(jobId, ['cancelled'], 15_000), 'cancelled');
    fx.running.splice(fx.running.indexOf(sync.id), 1);
  });
});
