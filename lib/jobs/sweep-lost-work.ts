import { prisma } from '../db/client';
import { Prisma } from '../db/generated/client';
import { ferryQueue, queueJobId } from '../queue/enqueue';
import { enqueuePlanner } from './enqueue-planner';
import { definedJobKinds } from './kinds/job-kinds';
import type { JobKindDefinition } from './kinds/job-kind';
import { recordEvent } from './record-event';
import { enqueueUnits } from './units/enqueue-units';

/**
 * PostgreSQL is the record of what must happen; Redis only holds the to-do list. If Redis
 * loses jobs (a restart without persistence, a flush), unfinished work would wait
 * forever: the sweeper finds units of active jobs whose BullMQ job is gone (or finished
 * while the unit is not) and enqueues them again, and re-enqueues planners of jobs still
 * waiting to be planned. Leases make a duplicate harmless. One sweeper at a time across
 * all workers (an advisory lock); every kind is swept the same way, from its definition.
 */
const SWEEP_LOCK = 7211000002;

/** Units are only looked for in jobs that still have work to do or to wind down. */
const ACTIVE_JOB_STATUSES = ['running', 'pausing', 'cancelling'];

/** True when the BullMQ job is gone or finished (so nothing will process its work again). */
async function lost(queueJobId: string | null): Promise<boolean> {
  const queued = queueJobId ? await ferryQueue().getJob(queueJobId) : null;
  const state = queued ? await queued.getState() : 'missing';
  return state === 'missing' || state === 'completed' || state === 'failed' || state === 'unknown';
}

async function sweepUnits(tx: Prisma.TransactionClient, definition: JobKindDefinition, staleBefore: Date, generation: string): Promise<number> {
  const { store } = definition.units;
  const candidates = await tx.$queryRaw<{ id: string; job_id: string; seq: number; queue_job_id: string | null }[]>`
    SELECT u.id, u.job_id, u.seq, u.queue_job_id
      FROM ${Prisma.raw(store.table)} u JOIN jobs j ON j.id = u.job_id
     WHERE j.kind = ${definition.kind}::"JobKind" AND j.status::text = ANY(${ACTIVE_JOB_STATUSES}::text[])
       AND (u.status = 'pending' OR (u.status = 'running' AND (u.heartbeat_at IS NULL OR u.heartbeat_at < ${staleBefore})))
     LIMIT 1000`;
  let requeued = 0;
  for (const unit of candidates) {
    if (!(await lost(unit.queue_job_id))) continue;
    await enqueueUnits(definition, unit.job_id, [unit.id], generation);
    const Noun = `${store.noun[0].toUpperCase()}${store.noun.slice(1)}`;
    await recordEvent(unit.job_id, `${store.noun}_requeued`, `${Noun} ${unit.seq} had no live queue entry; enqueued again`, undefined, 'warn');
    requeued += 1;
  }
  return requeued;
}

async function sweepPlanners(tx: Prisma.TransactionClient, definition: JobKindDefinition, staleBefore: Date): Promise<number> {
  if (!definition.planner) return 0;
  const { jobName } = definition.planner;
  const unplanned = await tx.job.findMany({
    where: { kind: definition.kind, status: { in: ['queued', 'planning'] }, createdAt: { lt: staleBefore } },
    select: { id: true },
  });
  for (const job of unplanned) {
    // The planner's id is stable, so this is a no-op unless Redis lost it.
    const queued = await ferryQueue().getJob(queueJobId(jobName, job.id));
    if (!queued || ['completed', 'failed'].includes(await queued.getState())) {
      if (queued) await queued.remove().catch(() => undefined);
      await enqueuePlanner(definition, job.id);
    }
  }
  return unplanned.length;
}

export async function sweepOnce(staleMs: number): Promise<{ requeuedChunks: number; replannedJobs: number }> {
  return prisma().$transaction(
    async (tx) => {
      const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${SWEEP_LOCK}) AS locked`;
      if (!locked) return { requeuedChunks: 0, replannedJobs: 0 };
      const staleBefore = new Date(Date.now() - staleMs);
      const generation = `s${Date.now().toString(36)}`;
      let requeuedChunks = 0;
      let replannedJobs = 0;
      for (const definition of definedJobKinds) {
        requeuedChunks += await sweepUnits(tx, definition, staleBefore, generation);
        replannedJobs += await sweepPlanners(tx, definition, staleBefore);
      }
      return { requeuedChunks, replannedJobs };
    },
    { timeout: 60_000 },
  );
}
