import './support/test-env';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '@/lib/auth/roles';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { cancelJob, resumeJob } from '@/lib/jobs/control-job';
import { migrationKind } from '@/lib/jobs/kinds/migration';
import { stopPendingUnit } from '@/lib/jobs/units/run-unit';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import { freshPgDatabase, testAdmin, testConnection, testMapping } from './support/fixtures';

// No worker runs in this file: each step of a delivery is taken by the test, in the order
// that a busy machine can give them. The deliveries a resume enqueues stay in the queue;
// every job here ends cancelled, so a later file's worker that gets one stops at its gate.
const DB = 'ferry_it_stop_race';
let actor: Actor;
let mappingId: string;
const jobs: string[] = [];

/** A planned migration with one pending chunk, moved to `status` as the job page's controls would leave it. */
async function pausedJobWithChunk(status: 'paused' | 'cancelling') {
  const version = await prisma().mappingVersion.findFirstOrThrow({ where: { mappingId }, select: { id: true } });
  const job = await prisma().job.create({ data: { kind: 'migration', mappingId, mappingVersionId: version.id }, select: { id: true } });
  jobs.push(job.id);
  await prisma().job.update({ where: { id: job.id }, data: { status: 'running', startedAt: new Date(), plannedAt: new Date() } });
  const chunk = await prisma().chunk.create({ data: { jobId: job.id, seq: 0 }, select: { id: true } });
  await prisma().job.update({ where: { id: job.id }, data: { status } });
  return { jobId: job.id, chunkId: chunk.id };
}

const statusOf = async (jobId: string, chunkId: string) => ({
  job: (await prisma().job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } })).status,
  chunk: (await prisma().chunk.findUniqueOrThrow({ where: { id: chunkId }, select: { status: true } })).status,
});

before(async () => {
  actor = await testAdmin();
  const db = await freshPgDatabase(DB);
  await db.query(`CREATE TABLE people (id int PRIMARY KEY, email text)`);
  await db.query(`CREATE TABLE contacts (id int PRIMARY KEY, email text)`);
  await db.end();
  const connection = await testConnection(actor, 'postgres', DB);
  const spec = { source: { table: 'people', key: ['id'] }, target: { table: 'contacts', key: ['id'] }, fields: [{ target: 'id', sources: ['id'] }, { target: 'email', sources: ['email'] }] };
  mappingId = (await testMapping(actor, 'it stop race', connection.id, connection.id, spec)).id;
});

after(async () => {
  for (const jobId of jobs) {
    const { status } = await prisma().job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } });
    if (status !== 'cancelled' && status !== 'cancelling') await cancelJob(actor, jobId);
  }
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
});

describe('a delivery that found its job paused, and a resume', () => {
  test('a resume that lands between the delivery reading the job and marking its chunk wins: the chunk stays pending for the resume\'s own delivery', async () => {
    const { jobId, chunkId } = await pausedJobWithChunk('paused');
    // The delivery has read the job: paused. Before it marks its chunk, an admin resumes.
    assert.equal(await resumeJob(actor, jobId), 'running');
    assert.deepEqual(await statusOf(jobId, chunkId), { job: 'running', chunk: 'pending' });
    // Now the delivery goes on with what it read. Marking the chunk paused here would leave
    // it for good: the resume's delivery only claims a pending chunk, and the job says running.
    await stopPendingUnit(migrationKind, jobId, chunkId, 'paused');
    assert.deepEqual(await statusOf(jobId, chunkId), { job: 'running', chunk: 'pending' });
  });

  test('a delivery that marks its chunk before the resume: the resume takes the chunk back', async () => {
    const { jobId, chunkId } = await pausedJobWithChunk('paused');
    await stopPendingUnit(migrationKind, jobId, chunkId, 'paused');
    assert.deepEqual(await statusOf(jobId, chunkId), { job: 'paused', chunk: 'paused' });
    assert.equal(await resumeJob(actor, jobId), 'running');
    assert.deepEqual(await statusOf(jobId, chunkId), { job: 'running', chunk: 'pending' });
  });

  test('a delivery that found its job cancelling cancels its chunk, and the job settles cancelled', async () => {
    const { jobId, chunkId } = await pausedJobWithChunk('cancelling');
    await stopPendingUnit(migrationKind, jobId, chunkId, 'cancelled');
    assert.deepEqual(await statusOf(jobId, chunkId), { job: 'cancelled', chunk: 'cancelled' });
  });
});
