import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '@/lib/auth/roles';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { pauseJob, resumeJob } from '@/lib/jobs/control-job';
import { startMigration } from '@/lib/jobs/start-migration';
import { startReplay } from '@/lib/jobs/start-replay';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import { saveMappingVersion } from '@/lib/saved-mappings/save-mapping';
import { mappingSpecSchema } from '@/lib/schemas/mapping-spec';
import { freshPgDatabase, jobTotals, testAdmin, testConnection, testMapping } from './support/fixtures';
import { spawnWorker, type SpawnedWorker } from './support/spawn-worker';
import { expectEventually, waitForJob } from './support/wait';

const SOURCE_DB = 'ferry_it_replay_ctl_src';
const TARGET_DB = 'ferry_it_replay_ctl_tgt';
let actor: Actor;
const workers: SpawnedWorker[] = [];

// Every 10th row has status 'P', unknown to the first version of the mapping.
const spec = (statusMap: Record<string, string>) => ({
  source: { table: 'people', key: ['id'] },
  target: { table: 'contacts', key: ['id'] },
  fields: [
    { target: 'id', sources: ['id'] },
    { target: 'status', sources: ['status'], transforms: [{ op: 'value_map', map: statusMap }] },
  ],
});

before(async () => {
  actor = await testAdmin();
  const source = await freshPgDatabase(SOURCE_DB);
  await source.query(`CREATE TABLE people (id int PRIMARY KEY, status text)`);
  await source.query(`INSERT INTO people SELECT g, CASE WHEN g % 10 = 0 THEN 'P' ELSE 'A' END FROM generate_series(1, 1000) g`);
  await source.end();
  const target = await freshPgDatabase(TARGET_DB);
  await target.query(`CREATE TABLE contacts (id int PRIMARY KEY, status text NOT NULL)`);
  await target.end();
});

after(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
});

describe('replay jobs under job control', () => {
  test('a paused replay writes nothing until it is resumed, then lands its rows', async () => {
    const src = await testConnection(actor, 'postgres', SOURCE_DB);
    const tgt = await testConnection(actor, 'postgres', TARGET_DB);
    const mapping = await testMapping(actor, 'it replay control', src.id, tgt.id, spec({ A: 'active' }));
    workers.push(spawnWorker());
    const job = await startMigration(actor, { mappingId: mapping.id, options: { chunkRows: 500, batchRows: 100 } });
    assert.equal(await waitForJob(job.id), 'completed_with_errors');
    assert.equal((await jobTotals(job.id)).failed, 100);
    // No worker while the replay is created and paused: the test decides what runs.
    await workers.pop()?.stop();

    await saveMappingVersion(actor, mapping.id, { spec: mappingSpecSchema.parse(spec({ A: 'active', P: 'prospect' })) });
    const replay = await startReplay(actor, job.id, {});
    assert.equal(await pauseJob(actor, replay.id), 'paused');

    workers.push(spawnWorker());
    // The worker takes the queued replay chunk and must leave it paused, with nothing replayed.
    const chunkStatus = await expectEventually(async () => {
      const chunk = await prisma().chunk.findFirstOrThrow({ where: { jobId: replay.id }, select: { status: true } });
      return chunk.status === 'pending' ? null : chunk.status;
    });
    assert.equal(chunkStatus, 'paused');
    assert.equal(await prisma().errorRow.count({ where: { jobId: job.id, resolvedAt: { not: null } } }), 0);
    assert.equal((await prisma().job.findUniqueOrThrow({ where: { id: replay.id }, select: { status: true } })).status, 'paused');

    assert.equal(await resumeJob(actor, replay.id), 'running');
    assert.equal(await waitForJob(replay.id), 'completed');
    assert.equal(await prisma().errorRow.count({ where: { jobId: job.id, resolvedByJobId: replay.id } }), 100);
  });
});
