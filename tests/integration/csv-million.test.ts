import './support/test-env';
import assert from 'node:assert/strict';
import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { closeCachedConnectors } from '@/lib/engine/connector-cache';
import { startMigration } from '@/lib/jobs/start-migration';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import { testCsvSource } from './support/csv-source';
import { freshPgDatabase, testAdmin, testConnection, testMapping } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { waitForJob } from './support/wait';

const TARGET_DB = 'ferry_it_csv_million';
const ROWS = 1_000_000;
const path = `${process.env.FERRY_FILE_STORAGE}/it-csv/million.csv`;
/** Data records (0-based) written broken: the first, one at an index part's edge, one in the middle, the last. */
const BROKEN = new Set([0, 9_999, 10_000, 500_000, ROWS - 1]);

let actor: Actor;
let target: pg.Client;
const workers: SpawnedWorker[] = [];

before(async () => {
  actor = await testAdmin();
  mkdirSync(`${process.env.FERRY_FILE_STORAGE}/it-csv`, { recursive: true });
  const out = createWriteStream(path);
  out.write('id,name,email,created,amount\n');
  let chunk = '';
  for (let i = 0; i < ROWS; i++) {
    const id = i + 1;
    if (BROKEN.has(i)) chunk += `${id},one,field,too,many,fields\n`;
    else chunk += `${id},Customer ${id},c${id}@example.com,2024-${String((id % 12) + 1).padStart(2, '0')}-15,${id % 1000}.25\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  target = await freshPgDatabase(TARGET_DB);
  await target.query(`CREATE TABLE contacts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, legacy_id bigint UNIQUE NOT NULL, full_name text NOT NULL, email text NOT NULL, created date, amount numeric(12,2))`);
  workers.push(spawnWorker(), spawnWorker());
});

after(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await target?.end();
  await closeCachedConnectors();
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
});

test('a 1,000,000-line CSV file migrates end to end on two workers; its five broken lines are error rows with their line numbers', { timeout: 900_000 }, async () => {
  const source = await testCsvSource(actor, 'it csv million', [{ table: 'customers', path }]);
  const tgt = await testConnection(actor, 'postgres', TARGET_DB);
  const mapping = await testMapping(actor, 'it csv million → contacts', source.id, tgt.id, {
    source: { table: 'customers', key: ['_line'] },
    target: { table: 'contacts', key: ['legacy_id'] },
    fields: [
      { target: 'legacy_id', sources: ['id'] },
      { target: 'full_name', sources: ['name'] },
      { target: 'email', sources: ['email'], transforms: [{ op: 'email' }] },
      { target: 'created', sources: ['created'] },
      { target: 'amount', sources: ['amount'] },
    ],
  });
  const started = Date.now();
  const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 100_000 } });
  assert.equal(await waitForJob(job.id, undefined, 840_000), 'completed_with_errors');
  const seconds = (Date.now() - started) / 1000;
  console.log(`# 1M-line CSV migrated in ${seconds.toFixed(1)} s (${Math.round(ROWS / seconds)} rows/s)`);

  const { rows } = await target.query<{ count: string; min: string; max: string; total: string }>('SELECT count(*), min(legacy_id), max(legacy_id), sum(amount)::text AS total FROM contacts');
  assert.equal(Number(rows[0].count), ROWS - BROKEN.size);
  assert.equal(rows[0].min, '2');
  assert.equal(rows[0].max, String(ROWS - 1));
  let expected = 0;
  for (let id = 1; id <= ROWS; id++) if (!BROKEN.has(id - 1)) expected += (id % 1000) * 100 + 25;
  assert.equal(rows[0].total, (expected / 100).toFixed(2), 'every amount as written');
  const errors = await prisma().errorRow.findMany({ where: { jobId: job.id }, select: { sourceKeyText: true, code: true, stage: true } });
  assert.deepEqual(
    errors.map((e) => [e.sourceKeyText, e.code, e.stage]).sort(),
    [...BROKEN].map((i) => [`[${i + 2}]`, 'too_many_fields', 'read']).sort(),
    'the header is line 1, so record i is on line i + 2',
  );
});
