import { prisma } from '../db/client';
import { Prisma } from '../db/generated/client';
import { ferryQueue, queueJobId } from '../queue/enqueue';
import { replanJob } from './enqueue-planner';
import { definedJobKinds } from './kinds/job-kinds';
import type { JobKindDefinition } from './kinds/job-kind';
import { recordEvent } from './record-event';
import { enqueueUnits } from './units/enqueue-units';
import { liveWorkerCutoff } from './worker-liveness';
import { restoreSyncSchedules } from '../sync/schedule-sync';
import { advanceRunningPlanRuns } from '../plans/advance-plan-of-job';

/**
 * PostgreSQL is the record of what must happen; Redis only holds the to-do list. If Redis
 * loses jobs (a restart without persistence, a flush), unfinished work would wait
 * forever: the sweeper finds units of active jobs whose BullMQ job is gone (or finished
 * while the unit is not) and enqueues them again, and re-enqueues planners of jobs still
 * waiting to be planned. Leases make a duplicate harmless. One sweeper at a time across
 * all workers (an advisory lock); every kind is swept the same way, from its definition.
 *
 * It also hands over the running units of workers that stopped sending heartbeats (killed,
 * frozen, cut off): a worker silent for WORKER_DEAD_AFTER_MS is taken for dead, so its units
 * continue elsewhere within about that time plus one sweep, instead of showing "running"
 * on a dead worker until BullMQ's lock expires. Failed or finished jobs are never revived.
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
  // A scheduled unit waits for its scheduler's next delivery (its schedule is checked in sweepSchedules).
  if (definition.units.deliveredBy === 'schedule') return 0;
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

interface Orphan {
  definition: JobKindDefinition;
  id: string;
  job_id: string;
  seq: number;
  worker_id: string;
  last_beat: Date | null;
}

/**
 * Running units whose worker is silent go back to pending. They are enqueued after the
 * sweep's transaction commits: enqueueUnits records the queue id on the unit's row,
 * which this transaction holds locked until then.
 */
async function takeBackDeadWorkersUnits(tx: Prisma.TransactionClient, definition: JobKindDefinition): Promise<Orphan[]> {
  const { store } = definition.units;
  const cutoff = liveWorkerCutoff();
  const rows = await tx.$queryRaw<Omit<Orphan, 'definition'>[]>`
    WITH dead AS (
      SELECT u.id, u.worker_id, w.heartbeat_at AS last_beat
        FROM ${Prisma.raw(store.table)} u
        JOIN jobs j ON j.id = u.job_id
        LEFT JOIN worker_processes w ON w.id = u.worker_id
       WHERE j.kind = ${definition.kind}::"JobKind" AND j.status::text = ANY(${ACTIVE_JOB_STATUSES}::text[])
         AND u.status = 'running' AND u.worker_id IS NOT NULL
         -- a unit claimed a moment ago may belong to a worker whose first beat is still on its way
         AND u.heartbeat_at < now() - interval '5 seconds'
         AND (w.id IS NULL OR w.heartbeat_at < ${cutoff})
       LIMIT 1000
         FOR UPDATE OF u SKIP LOCKED)
    UPDATE ${Prisma.raw(store.table)} u
       SET status = 'pending', lease_id = NULL, worker_id = NULL,
           last_error = 'worker ' || dead.worker_id || ' stopped sending heartbeats'
      FROM dead
     WHERE u.id = dead.id
    RETURNING u.id, u.job_id, u.seq, dead.worker_id, dead.last_beat`;
  return rows.map((row) => ({ ...row, definition }));
}

async function handOver(orphans: Orphan[], generation: string): Promise<void> {
  for (const { definition, ...unit } of orphans) {
    const { store } = definition.units;
    const Noun = `${store.noun[0].toUpperCase()}${store.noun.slice(1)}`;
    await enqueueUnits(definition, unit.job_id, [unit.id], generation);
    const since = unit.last_beat ? ` (last heartbeat ${unit.last_beat.toISOString().slice(11, 19)} UTC)` : '';
    await recordEvent(
      unit.job_id,
      `${store.noun}_taken_over`,
      `${Noun} ${unit.seq}: worker ${unit.worker_id} stopped sending heartbeats${since}; handed to another worker, which continues ${store.hasCursor ? 'from its checkpoint' : 'from its start'}`,
      { [store.noun]: unit.seq, worker: unit.worker_id },
      'warn',
    );
  }
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
    if (!queued || ['completed', 'failed'].includes(await queued.getState())) await replanJob(definition, job.id);
  }
  return unplanned.length;
}

export async function sweepOnce(staleMs: number): Promise<{ requeuedChunks: number; replannedJobs: number }> {
  const generation = `s${Date.now().toString(36)}`;
  const swept = await prisma().$transaction(
    async (tx) => {
      const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${SWEEP_LOCK}) AS locked`;
      if (!locked) return { requeuedChunks: 0, replannedJobs: 0, orphans: [], swept: false };
      const staleBefore = new Date(Date.now() - staleMs);
      let requeuedChunks = 0;
      let replannedJobs = 0;
      const orphans: Orphan[] = [];
      for (const definition of definedJobKinds) {
        // Before taking units back: sweepUnits enqueues from outside this transaction, and
        // would wait on the rows takeBackDeadWorkersUnits locks.
        requeuedChunks += await sweepUnits(tx, definition, staleBefore, generation);
        orphans.push(...(await takeBackDeadWorkersUnits(tx, definition)));
        replannedJobs += await sweepPlanners(tx, definition, staleBefore);
      }
      return { requeuedChunks, replannedJobs, orphans, swept: true };
    },
    { timeout: 60_000 },
  );
  await handOver(swept.orphans, generation);
  // Schedulers live in Redis only: a running sync whose scheduler vanished gets it back.
  if (swept.swept) await restoreSyncSchedules();
  // A plan run moves on when its migrations settle; a worker that died in between left it waiting.
  if (swept.swept) await advanceRunningPlanRuns();
  return { requeuedChunks: swept.requeuedChunks + swept.orphans.length, replannedJobs: swept.replannedJobs };
}
