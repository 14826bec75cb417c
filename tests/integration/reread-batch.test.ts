/**
 * A batch whose plain insert let go of its rows and was then refused is read again from
 * the source, over exactly its key interval, and takes the full path from there: the
 * target gets the source's rows as they are now, and the checkpoint counts the rows read
 * again, once. Runs one chunk's copier in this process (no queue) against real databases.
 * Scratch databases: ferry_it_reread_src, ferry_it_reread_tgt.
 *
 * Run: node --import tsx --test tests/integration/reread-batch.test.ts
 */
import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { claimUnit } from '@/lib/jobs/units/unit-lease';
import { chunkStore } from '@/lib/jobs/units/unit-stores';
import { closeCachedConnectors } from '@/lib/engine/connector-cache';
import { emptyStepTimes, makeBatchCopier } from '@/lib/engine/copy-batch';
import { loadJobContext } from '@/lib/engine/load-job-context';
import { sourceColumnsOf } from '@/lib/mapping/apply-mapping';
import { freshPgDatabase, testAdmin, testConnection, testMapping } from './support/fixtures';

const SOURCE_DB = 'ferry_it_reread_src';
const TARGET_DB = 'ferry_it_reread_tgt';

let actor: Actor;
let source: pg.Client;
let target: pg.Client;

before(async () => {
  actor = await testAdmin();
  source = await freshPgDatabase(SOURCE_DB);
  target = await freshPgDatabase(TARGET_DB);
  await source.query('CREATE TABLE people (id int PRIMARY KEY, email text, name text)');
  // 1–300 without 150; 301–400 lie beyond the chunk.
  await source.query(`INSERT INTO people SELECT g, 'p' || g || '@example.com', 'Person ' || g FROM generate_series(1, 400) g WHERE g <> 150`);
  await target.query('CREATE TABLE contacts (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, name text)');
  // Already in the target: the batch's plain insert is refused on this key.
  await target.query(`INSERT INTO contacts VALUES (250, 'p250@example.com', 'old name')`);
});

after(async () => {
  await closeCachedConnectors();
  await source?.end();
  await target?.end();
  await disconnectPrisma();
});

test('a refused batch is read again over its interval and lands as the source is now, counted once', async () => {
  const src = await testConnection(actor, 'postgres', SOURCE_DB);
  const tgt = await testConnection(actor, 'postgres', TARGET_DB);
  const mapping = await testMapping(actor, 'it reread people → contacts', src.id, tgt.id, {
    source: { table: 'people', key: ['id'] },
    target: { table: 'contacts', key: ['id'] },
    fields: [
      { target: 'id', sources: ['id'] },
      { target: 'email', sources: ['email'] },
      { target: 'name', sources: ['name'] },
    ],
  });
  const version = await prisma().mappingVersion.findFirstOrThrow({ where: { mappingId: mapping.id }, select: { id: true } });
  // A job and chunk of their own, never enqueued: this process is the worker.
  const job = await prisma().job.create({
    data: { kind: 'migration', status: 'running', mappingId: mapping.id, mappingVersionId: version.id, options: { batchRows: 1000 }, createdById: actor.id },
    select: { id: true },
  });
  const chunk = await prisma().chunk.create({ data: { jobId: job.id, seq: 0, lowerKey: [1], upperKey: [301] }, select: { id: true } });
  const lease = await claimUnit(chunkStore, job.id, chunk.id, 'reread-test', 30_000);
  assert.ok(typeof lease !== 'string', `the chunk was not leased (${String(lease)})`);
  const ctx = await loadJobContext(job.id);
  assert.ok(ctx);

  const iterator = ctx.source
    .readRangeArrays({ table: 'people', keyColumns: ['id'], columns: sourceColumnsOf(ctx.spec), range: { lower: lease.lowerKey, upper: lease.upperKey }, batchSize: 1000 })
    [Symbol.asyncIterator]();
  const first = await iterator.next();
  assert.equal(first.done, false);
  const batch = first.value as unknown[][];
  assert.equal(batch.length, 299);

  // The source moves on between the read and the write.
  await source.query(`UPDATE people SET name = 'Changed 100' WHERE id = 100`);
  await source.query('DELETE FROM people WHERE id = 101');
  await source.query(`INSERT INTO people VALUES (150, 'p150@example.com', 'Late 150')`);

  const times = emptyStepTimes();
  const copyBatch = makeBatchCopier(ctx, chunk.id, { ...lease, cursor: null }, times);
  assert.equal(await copyBatch(batch), 'running');
  assert.equal(batch.length, 0, 'the copier let go of the rows it was given');
  assert.equal(times.insertsRefused, 1);

  const landed = await target.query<{ id: string; name: string }>('SELECT id, name FROM contacts ORDER BY id');
  const ids = landed.rows.map((r) => Number(r.id));
  const expected = Array.from({ length: 300 }, (_, i) => i + 1).filter((id) => id !== 101);
  assert.deepEqual(ids, expected, 'exactly the interval as the source holds it now: 150 in, 101 out, nothing past 300');
  const name = (id: number) => landed.rows.find((r) => Number(r.id) === id)?.name;
  assert.equal(name(100), 'Changed 100');
  assert.equal(name(150), 'Late 150');
  assert.equal(name(250), 'Person 250', 'the row already in the target was upserted');

  const saved = await prisma().chunk.findUniqueOrThrow({ where: { id: chunk.id }, select: { cursor: true, rowsRead: true, rowsWritten: true, rowsFailed: true } });
  assert.deepEqual(saved, { cursor: [300], rowsRead: 299, rowsWritten: 299, rowsFailed: 0 });
  await prisma().job.delete({ where: { id: job.id } });
});
