/**
 * Issue 17 item 3 in the engine: a saved mapping's patterns cannot stall or crash a worker.
 * `^(a|a)*$` on forty a's and a "!" backtracks 2^40 times in JavaScript's engine (a worker
 * stuck for days); in the linear-time engine the job completes in seconds with the rows
 * JavaScript would have given. A version saved before the engine with a backreference is
 * refused by the planner with the reason; a replacement that multiplies each value fails
 * its rows as error rows; the same worker processes serve all three jobs.
 * Scratch databases: ferry_it_regex_src, ferry_it_regex_tgt (dropped and re-created).
 *
 * Run: node --import tsx --test tests/integration/regex-bounds.test.ts
 */
import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { startMigration } from '@/lib/jobs/start-migration';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import { freshPgDatabase, jobTotals, testAdmin, testConnection, testMapping } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { waitForJob } from './support/wait';

const SOURCE_DB = 'ferry_it_regex_src';
const TARGET_DB = 'ferry_it_regex_tgt';
const ROWS = 300;
const CATASTROPHIC = `${'a'.repeat(40)}!`;

let actor: Actor;
let source: pg.Client;
let target: pg.Client;
const workers: SpawnedWorker[] = [];

const specWith = (transforms: Record<string, string>[]) => ({
  source: { table: 'people', key: ['id'] },
  target: { table: 'contacts', key: ['id'] },
  writeMode: 'upsert',
  fields: [
    { target: 'id', sources: ['id'], transforms: [] },
    { target: 'note', sources: ['note'], transforms },
  ],
});

before(async () => {
  actor = await testAdmin();
  source = await freshPgDatabase(SOURCE_DB);
  await source.query(`CREATE TABLE people (id int PRIMARY KEY, note text)`);
  // Every tenth row is all a's (the pattern matches it); the others end in "!".
  await source.query(`INSERT INTO people SELECT g, CASE WHEN g % 10 = 0 THEN repeat('a', 40) ELSE $1 END FROM generate_series(1, $2::int) g`, [CATASTROPHIC, ROWS]);
  target = await freshPgDatabase(TARGET_DB);
  await target.query(`CREATE TABLE contacts (id int PRIMARY KEY, note text)`);
  workers.push(spawnWorker(), spawnWorker());
});

after(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await source?.end();
  await target?.end();
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
});

async function errorCodes(jobId: string): Promise<Map<string, number>> {
  const groups = await prisma().errorRow.groupBy({ by: ['code'], where: { jobId }, _count: true });
  return new Map(groups.map((group) => [group.code, group._count]));
}

test('saved patterns run in linear time in the workers; bad ones fail their rows, never the process', async () => {
  const src = await testConnection(actor, 'postgres', SOURCE_DB);
  const tgt = await testConnection(actor, 'postgres', TARGET_DB);
  const mapping = await testMapping(actor, 'it regex bounds', src.id, tgt.id, specWith([{ op: 'regex_replace', pattern: '^(a|a)*$', replacement: 'X' }]));
  const options = { chunkRows: 100, batchRows: 50 };

  // 1. The formerly catastrophic pattern: every row lands, with JavaScript's answer.
  const started = Date.now();
  const linear = await startMigration(actor, { mappingId: mapping.id, options });
  assert.equal(await waitForJob(linear.id, undefined, 60_000), 'completed');
  const seconds = (Date.now() - started) / 1000;
  assert.ok(seconds < 45, `took ${seconds} s`);
  assert.deepEqual(await jobTotals(linear.id), { chunks: 3, read: ROWS, written: ROWS, failed: 0, duplicates: 0 });
  const { rows: landed } = await target.query<{ note: string; n: number }>(`SELECT note, count(*)::int AS n FROM contacts GROUP BY note ORDER BY note`);
  assert.deepEqual(landed, [
    { note: 'X', n: ROWS / 10 },
    { note: CATASTROPHIC, n: ROWS - ROWS / 10 },
  ]);

  // 2. A version saved before the linear engine, with a backreference (saving one is refused
  //    now): the planner refuses the job with the reason, before any row is read.
  const unsupported = specWith([{ op: 'regex_replace', pattern: '(a)\\1', flags: 'g', replacement: '$1' }]);
  await prisma().$transaction([
    prisma().mappingVersion.create({ data: { mappingId: mapping.id, version: 2, spec: unsupported } }),
    prisma().mapping.update({ where: { id: mapping.id }, data: { latestVersion: 2 } }),
  ]);
  const refused = await startMigration(actor, { mappingId: mapping.id, version: 2, options });
  assert.equal(await waitForJob(refused.id), 'failed');
  const { stopReason } = await prisma().job.findUniqueOrThrow({ where: { id: refused.id }, select: { stopReason: true } });
  assert.match(stopReason ?? '', /fields\.1\.transforms\.0\.pattern: uses a backreference/);
  assert.equal((await jobTotals(refused.id)).written, 0);

  // 3. A replacement that multiplies each value by 10,000: error rows, not a worker out of memory.
  const blowUp = specWith([{ op: 'regex_replace', pattern: '.', flags: 'g', replacement: '$&'.repeat(5_000) }]);
  await prisma().$transaction([
    prisma().mappingVersion.create({ data: { mappingId: mapping.id, version: 3, spec: blowUp } }),
    prisma().mapping.update({ where: { id: mapping.id }, data: { latestVersion: 3 } }),
  ]);
  const multiplied = await startMigration(actor, { mappingId: mapping.id, version: 3, options });
  assert.equal(await waitForJob(multiplied.id), 'completed_with_errors');
  assert.deepEqual(await errorCodes(multiplied.id), new Map([['output_too_large', ROWS]]));

  // The same two worker processes served all three jobs.
  for (const worker of workers) assert.equal(worker.process.exitCode, null, `a worker exited: ${worker.output().slice(-2000)}`);
});
