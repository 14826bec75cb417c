/**
 * Deletions in syncs, through real workers, from a PostgreSQL and a MariaDB source into
 * PostgreSQL. Cursor mode: key reconciliation under each delete policy (apply, mark,
 * ignore) by key-range hashes, by a scan of the keys when the mapping filters source rows
 * (rows that left the scope count as deleted), and a soft-delete column (also for rows
 * soft-deleted before the initial load). Log mode (PostgreSQL): mark and ignore; apply is
 * in sync-postgres-log.test.ts.
 */
import './support/test-env';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { prisma } from '@/lib/db/client';
import { syncSettingsSchema } from '@/lib/schemas/sync-settings';
import { createSync } from '@/lib/sync/save-sync';
import { startSync } from '@/lib/sync/start-sync';
import {
  eventsOf,
  firstReconciliation,
  fx,
  mariaSource,
  postgresSource,
  ranAfter,
  range,
  reconcileOnce,
  src,
  startCursorSync,
  stop,
  tables,
  targetIds,
  targetRows,
  useSyncDatabases,
} from './support/cursor-sync';
import { testConnection, testMapping } from './support/fixtures';
import { expectEventually, waitForJob } from './support/wait';

useSyncDatabases('ferry_it_sync_deletes_src', 'ferry_it_sync_deletes_tgt');

for (const system of [postgresSource, mariaSource]) {
  describe(`deletions in a cursor sync from ${system.kind === 'postgres' ? 'PostgreSQL' : 'MariaDB'}`, () => {
    for (const policy of ['apply', 'mark', 'ignore'] as const) {
      test(`rows deleted in the source are found by key reconciliation: ${policy}`, async () => {
        const table = `${system.prefix}_reconcile_${policy}`;
        await tables(system, table, 200);
        const settings = { deletePolicy: policy, markColumn: policy === 'mark' ? 'deleted_at' : undefined, reconcileMinutes: 60 };
        const { sync, jobId } = await startCursorSync(system, table, { settings, batchRows: 10 });
        if (policy !== 'ignore') await firstReconciliation(sync.id);
        const gone = [1, 3, 50, 51, 52, 117, 199, 200];
        await src(system).exec(`DELETE FROM ${table} WHERE id IN (${gone.join(', ')})`);
        const kept = range(1, 200).filter((id) => !gone.includes(id));

        if (policy === 'ignore') {
          await ranAfter(sync.id, Date.now() + 2500);
          assert.equal((await targetIds(table)).length, 200, 'ignored deletions keep their target rows');
          const row = await prisma().sync.findUniqueOrThrow({ where: { id: sync.id } });
          assert.equal(row.lastReconcileAt, null, 'no reconciliation runs when deletions are ignored');
          await stop(sync.id, jobId);
          return;
        }

        await reconcileOnce(sync.id);
        const rows = await targetRows(table);
        if (policy === 'apply') {
          assert.deepEqual(rows.map((r) => r.id), kept);
        } else {
          assert.equal(rows.length, 200);
          assert.deepEqual(rows.filter((r) => r.deleted_at !== null).map((r) => r.id), gone);
        }
        const [event] = await eventsOf(jobId, 'reconciled');
        assert.match(event.message, new RegExp(`${policy === 'mark' ? 'marked' : 'deleted'} ${gone.length} target row`));
        // Key-range hashes: only ranges holding a deletion were read, not the 200 keys.
        const stats = event.data as { search: string; rangesHashed: number; targetKeysRead: number };
        assert.equal(stats.search, 'descend');
        assert.ok(stats.rangesHashed > 1 && stats.targetKeysRead < 150, `descended: ${JSON.stringify(stats)}`);
        // A reconciliation has no source commit time: the delay D does not move (no change was read by cursor here).
        assert.equal((await prisma().sync.findUniqueOrThrow({ where: { id: sync.id } })).lastCommitAt, null);

        // The next reconciliation finds nothing new: already marked rows are not marked again.
        await reconcileOnce(sync.id);
        assert.deepEqual(await targetRows(table), rows);
        assert.equal((await eventsOf(jobId, 'reconciled')).length, 1);
        await stop(sync.id, jobId);
      });
    }

    test('with a source filter, rows that left the scope count as deleted (the reconciliation scans the keys)', async () => {
      const table = `${system.prefix}_reconcile_scope`;
      await tables(system, table, 60, (id) => (id > 40 ? 'us' : 'eu'));
      const { sync, jobId } = await startCursorSync(system, table, {
        filter: [{ column: 'region', op: 'eq', value: 'eu' }],
        settings: { deletePolicy: 'apply', reconcileMinutes: 60 },
        batchRows: 10,
      });
      assert.deepEqual(await targetIds(table), range(1, 40));
      await firstReconciliation(sync.id);
      // Row 7 leaves the scope with a new stamp: the cursor run reads it and deletes it; row 8 changes in scope.
      await src(system).exec(`UPDATE ${table} SET region = 'us', updated_at = ${system.now} WHERE id = 7`);
      await src(system).exec(`UPDATE ${table} SET name = 'Still here', updated_at = ${system.now} WHERE id = 8`);
      await expectEventually(async () => {
        const rows = await targetRows(table);
        return rows.find((r) => r.id === 8)?.name === 'Still here' && !rows.some((r) => r.id === 7);
      });
      // Row 5 leaves it without a new stamp (a bulk fix that bypasses the application) and row 6 is deleted: no cursor sees either.
      await src(system).exec(`UPDATE ${table} SET region = 'us' WHERE id = 5`);
      await src(system).exec(`DELETE FROM ${table} WHERE id = 6`);
      await reconcileOnce(sync.id);
      assert.deepEqual(await targetIds(table), range(1, 40).filter((id) => ![5, 6, 7].includes(id)));
      const [event] = await eventsOf(jobId, 'reconciled');
      assert.match(event.message, /deleted 2 target row/);
      assert.deepEqual(event.data, { search: 'scan', rangesHashed: 0, targetKeysRead: 39 });
      await stop(sync.id, jobId);
    });

    test('a soft-delete column deletes the target row, without reconciliation', async () => {
      const table = `${system.prefix}_soft_delete`;
      await tables(system, table, 10);
      const { sync, jobId } = await startCursorSync(system, table, { settings: { deletePolicy: 'apply', softDeleteColumn: 'deleted_at', reconcileMinutes: 0 } });
      await src(system).exec(`UPDATE ${table} SET deleted_at = ${system.now}, updated_at = ${system.now} WHERE id IN (4, 8)`);
      await src(system).exec(`UPDATE ${table} SET name = 'Kept', updated_at = ${system.now} WHERE id = 9`);
      await expectEventually(async () => {
        const rows = await targetRows(table);
        assert.deepEqual(rows.map((r) => r.id), [1, 2, 3, 5, 6, 7, 9, 10]);
        assert.equal(rows.find((r) => r.id === 9)?.name, 'Kept');
        return true;
      });
      assert.equal((await prisma().sync.findUniqueOrThrow({ where: { id: sync.id } })).lastReconcileAt, null);
      await stop(sync.id, jobId);
    });

    test('rows soft-deleted before the initial load are removed by the first reconciliation', async () => {
      const table = `${system.prefix}_soft_deleted_early`;
      await tables(system, table, 30);
      await src(system).exec(`UPDATE ${table} SET deleted_at = ${system.hourAgo} WHERE id IN (2, 29)`);
      const { sync, jobId } = await startCursorSync(system, table, { settings: { deletePolicy: 'apply', softDeleteColumn: 'deleted_at', reconcileMinutes: 60 }, batchRows: 10 });
      await firstReconciliation(sync.id);
      assert.deepEqual(await targetIds(table), range(1, 30).filter((id) => id !== 2 && id !== 29));
      const [event] = await eventsOf(jobId, 'reconciled');
      assert.equal((event.data as { search: string }).search, 'scan');
      await stop(sync.id, jobId);
    });
  });
}

describe('key reconciliation without a copied key', () => {
  test('a target key derived from other columns: one warning, no reconciliation', async () => {
    const table = 'pg_derived_key';
    await tables(postgresSource, table, 10);
    await fx.target.query(`DROP TABLE ${table}`);
    await fx.target.query(`CREATE TABLE ${table} (code text PRIMARY KEY, id int)`);
    const source = await testConnection(fx.actor, 'postgres', fx.sourceDb);
    const tgt = await testConnection(fx.actor, 'postgres', fx.targetDb);
    const mapping = await testMapping(fx.actor, `cursor sync ${table}`, source.id, tgt.id, {
      source: { table, key: ['id'] },
      target: { table, key: ['code'] },
      fields: [
        { target: 'code', sources: ['name'] },
        { target: 'id', sources: ['id'] },
      ],
    });
    const settings = syncSettingsSchema.parse({ mode: 'cursor', cursorColumn: 'updated_at', everySeconds: 1, lagMs: 1000, verifyMinutes: 0, deletePolicy: 'apply' });
    const sync = await createSync(fx.actor, { mappingId: mapping.id, settings });
    const { jobId, loadJobId } = await startSync(fx.actor, sync.id);
    fx.running.push(sync.id);
    assert.equal(await waitForJob(loadJobId!, ['completed'], 60_000), 'completed');
    await src(postgresSource).exec(`DELETE FROM ${table} WHERE id = 3`);
    await ranAfter(sync.id, Date.now() + 2500);
    const [warning, ...more] = await eventsOf(jobId, 'reconcile_unavailable');
    assert.equal(warning.level, 'warn');
    assert.match(warning.message, /needs the target key to be a copy of the source key/);
    assert.equal(more.length, 0, 'said once, not on every run');
    assert.equal((await fx.target.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n, 10);
    assert.equal((await prisma().sync.findUniqueOrThrow({ where: { id: sync.id } })).lastReconcileAt, null);
    await stop(sync.id, jobId);
  });
});

describe('deletions of a PostgreSQL log sync', () => {
  for (const policy of ['mark', 'ignore'] as const) {
    test(`${policy}: a deleted source row is ${policy === 'mark' ? 'marked' : 'kept'} in the target`, async () => {
      const table = `pg_log_${policy}`;
      await tables(postgresSource, table, 20);
      const source = await testConnection(fx.actor, 'postgres', fx.sourceDb);
      const tgt = await testConnection(fx.actor, 'postgres', fx.targetDb);
      const mapping = await testMapping(fx.actor, `log sync ${table}`, source.id, tgt.id, {
        source: { table, key: ['id'] },
        target: { table, key: ['id'] },
        fields: ['id', 'name', 'region', 'updated_at'].map((c) => ({ target: c, sources: [c] })),
      });
      const settings = syncSettingsSchema.parse({ mode: 'log', deletePolicy: policy, markColumn: policy === 'mark' ? 'deleted_at' : undefined, verifyMinutes: 0 });
      const sync = await createSync(fx.actor, { mappingId: mapping.id, settings });
      const { jobId, loadJobId } = await startSync(fx.actor, sync.id);
      fx.running.push(sync.id);
      assert.equal(await waitForJob(loadJobId!, ['completed', 'completed_with_errors'], 60_000), 'completed');

      await src(postgresSource).exec(`DELETE FROM ${table} WHERE id IN (3, 4)`);
      // A later change: once it is in, the deletions before it have been applied.
      await src(postgresSource).exec(`UPDATE ${table} SET name = 'After' WHERE id = 5`);
      await expectEventually(async () => (await targetRows(table)).find((r) => r.id === 5)?.name === 'After', { timeoutMs: 30_000 });
      const rows = await targetRows(table);
      assert.equal(rows.length, 20);
      assert.deepEqual(rows.filter((r) => r.deleted_at !== null).map((r) => r.id), policy === 'mark' ? [3, 4] : []);
      await stop(sync.id, jobId);
    });
  }
});
