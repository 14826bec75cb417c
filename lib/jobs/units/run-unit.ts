import { UnrecoverableError } from 'bullmq';
import { prisma } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { classifyJobFailure } from '../classify-job-failure';
import { failJob } from '../fail-job';
import { enterOutage, passOutageGate, readJobGate } from '../job-outage';
import type { JobKindDefinition } from '../kinds/job-kind';
import type { JobStatus } from '../job-state';
import { recordEvent } from '../record-event';
import { enqueueUnits } from './enqueue-units';
import { claimUnit, heartbeatUnit, LeaseLostError, releaseUnit, type UnitLease } from './unit-lease';

/** Why a unit stops before its work is done. */
export type Stop = 'paused' | 'cancelled' | 'shutdown';

/** What the worker process tells the lifecycle about this delivery. */
export interface UnitDelivery {
  jobId: string;
  unitId: string;
  workerId: string;
  /** BullMQ's attempts so far and allowed: the last one fails the unit instead of handing it back. */
  attemptsMade: number;
  maxAttempts: number;
  /** How old an owner's heartbeat must be before its unit is taken over. */
  lockMs: number;
  isShuttingDown(): boolean;
  /** Called when an attempt fails, before the unit is released (e.g. to drop connections that timed out). */
  onError?(error: unknown): void;
}

/** What a kind's `process` gets: its unit under a held lease, and the stop checks. */
export interface UnitRun<Cursor> {
  jobId: string;
  unitId: string;
  workerId: string;
  lease: UnitLease;
  /** The unit's checkpoint, parsed by the kind's cursor schema; null before the first one. */
  cursor: Cursor | null;
  /**
   * Between batches, with the job's status already at hand (the migration's checkpoint
   * reads it in the same round trip): has the worker begun shutting down, or the job
   * been asked to pause or cancel?
   */
  stopFor(status: JobStatus | null): Stop | null;
  /** The same check reading the job's status, and keeping the lease fresh (throws LeaseLostError when it was taken over). */
  pollStop(): Promise<Stop | null>;
}

/** How a kind's `process` ended. `idle`: this delivery's work is done, the unit waits for its next one (a sync between runs). */
export type UnitOutcome =
  | { done: { type: string; message: string; data?: Record<string, unknown> } }
  | { idle: string }
  | { stopped: Stop }
  | { skipped: string };

/** Has an admin (or the error policy) asked this job to stop? `null` status: the job is gone. */
function stopOfStatus(status: JobStatus | null): 'paused' | 'cancelled' | null {
  if (!status || status === 'cancelling' || status === 'cancelled' || status === 'failed') return 'cancelled';
  if (status === 'pausing' || status === 'paused') return 'paused';
  return null;
}

async function jobStatus(jobId: string): Promise<JobStatus | null> {
  return (await prisma().job.findUnique({ where: { id: jobId }, select: { status: true } }))?.status ?? null;
}

/**
 * A delivery that found its job pausing or cancelling marks its unit, still pending, so,
 * and lets the job settle. Exported for the test of its race with a resume.
 *
 * What the delivery read may be stale by now: a resume that came in between has moved the
 * job back to running and handed its units to new deliveries, which claim only a pending
 * unit. So the job is read again under its row lock (the lock a resume's move waits for),
 * and the unit is marked only while the job still asks for this stop.
 */
export async function stopPendingUnit<Cursor>(definition: JobKindDefinition<Cursor>, jobId: string, unitId: string, stop: 'paused' | 'cancelled') {
  const { store } = definition.units;
  // A range cannot be paused: it compares again from its start.
  const status = stop === 'paused' && store.hasCursor ? 'paused' : 'cancelled';
  await prisma().$transaction(async (tx) => {
    const [job] = await tx.$queryRaw<{ status: JobStatus }[]>`SELECT status FROM jobs WHERE id = ${jobId} FOR UPDATE`;
    if (stopOfStatus(job?.status ?? null) !== stop) return;
    await tx.$executeRaw`UPDATE ${Prisma.raw(store.table)} SET status = ${status}::${Prisma.raw(store.statusType)} WHERE id = ${unitId} AND status = 'pending'`;
  });
  await definition.settle(jobId);
  return { stopped: stop };
}

/**
 * The one lifecycle of a unit of work, for every kind: check for a stop before claiming;
 * wait (delayed, not retried) while the job waits for a database, or while the job already
 * runs as many units as its `maxParallelChunks` allows; claim the lease (a second delivery
 * skips while the owner lives); run the kind's batches,
 * which check for pause, cancel and shutdown between batches; then
 * - done: release, record the kind's done event, settle the job;
 * - paused/cancelled: release the unit so, settle the job;
 * - shutdown: hand the unit back and enqueue it again now, rather than after the lock expires;
 * - lease lost: stop without counting (the new owner counts);
 * - a database unreachable or refusing login: the job waits (job-outage.ts), the unit with it;
 * - an error no retry can fix (a dropped table, a revoked privilege): the job fails at once;
 * - other errors: hand the unit back for BullMQ's retry, or fail it on the last attempt and settle.
 */
export async function runUnit<Cursor>(definition: JobKindDefinition<Cursor>, delivery: UnitDelivery) {
  const { jobId, unitId, workerId } = delivery;
  const { store } = definition.units;
  const Noun = `${store.noun[0].toUpperCase()}${store.noun.slice(1)}`;
  const stopFor = (status: JobStatus | null): Stop | null => (delivery.isShuttingDown() ? 'shutdown' : stopOfStatus(status));

  // Comes back later under a fresh BullMQ id; the unit stays pending meanwhile (the sweeper sees its delayed entry).
  const deferUntil = async (until: number, why: string) => {
    const delayMs = Math.max(250, until - Date.now());
    await enqueueUnits(definition, jobId, [unitId], `d${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`, delayMs);
    return { deferred: why, delayMs };
  };
  const stopPending = (stop: 'paused' | 'cancelled') => stopPendingUnit(definition, jobId, unitId, stop);

  const gate = await readJobGate(jobId);
  const before = stopFor(gate.status);
  if (before === 'shutdown') throw new Error(`Worker is shutting down; the ${store.noun} will be retried`);
  if (before) return stopPending(before);
  const outage = await passOutageGate(jobId, gate, definition.pausable);
  if (!outage.go) return 'paused' in outage ? stopPending('paused') : deferUntil(outage.deferUntil.getTime(), 'the job is waiting for a database');

  const lease = await claimUnit(store, jobId, unitId, workerId, delivery.lockMs, gate.parallelLimit);
  if (lease === 'taken') return { skipped: `${store.noun} is finished or owned by a live attempt` };
  // Its turn comes when a running unit of the job finishes; a little jitter spreads the retries.
  if (lease === 'busy') return deferUntil(Date.now() + 1000 + Math.random() * 1000, 'the job runs as many units as its limit allows');
  if (lease.attempts > 1) {
    await recordEvent(
      jobId,
      `${store.noun}_retry`,
      `${Noun} ${lease.seq} ${store.hasCursor ? 'continues from its checkpoint' : 'starts again'} on ${workerId} (attempt ${lease.attempts})`,
      { [store.noun]: lease.seq, lastError: lease.lastError },
      'warn',
    );
  }

  let outcome: UnitOutcome;
  try {
    const cursor = lease.cursor == null ? null : definition.units.cursorSchema.parse(lease.cursor);
    outcome = await definition.units.process({
      jobId,
      unitId,
      workerId,
      lease,
      cursor,
      stopFor,
      pollStop: async () => {
        const stop = stopFor(await jobStatus(jobId));
        if (stop) return stop;
        if (!(await heartbeatUnit(store, unitId, lease.leaseId))) throw new LeaseLostError(store.noun, unitId);
        return null;
      },
    });
  } catch (error) {
    if (error instanceof LeaseLostError) return { skipped: error.message };
    delivery.onError?.(error);
    const message = (error as Error).message;
    const failure = classifyJobFailure(error);
    if (failure.kind === 'outage') {
      // Not this unit's fault: it waits with the job instead of spending its retries.
      const until = await enterOutage(jobId, failure.cause, message, gate.waitMs);
      if (until) {
        await releaseUnit(store, unitId, lease.leaseId, 'pending', message);
        return deferUntil(until.getTime(), 'the job is waiting for a database');
      }
    }
    if (failure.kind === 'unrecoverable') {
      await releaseUnit(store, unitId, lease.leaseId, 'failed', message);
      await failJob(jobId, `${Noun} ${lease.seq}: ${failure.reason}`, failure.hint);
      throw new UnrecoverableError(message);
    }
    // A scheduled unit's next delivery is its retry: it waits for it instead of failing the job.
    const finalAttempt = definition.units.deliveredBy === 'queue' && delivery.attemptsMade + 1 >= delivery.maxAttempts;
    await releaseUnit(store, unitId, lease.leaseId, finalAttempt ? 'failed' : 'pending', message);
    await recordEvent(
      jobId,
      finalAttempt ? `${store.noun}_failed` : `${store.noun}_error`,
      `${Noun} ${lease.seq}: ${message}${finalAttempt ? ' (no retries left)' : store.hasCursor ? ' (will retry from its checkpoint)' : ' (will retry)'}`,
      { [store.noun]: lease.seq },
      finalAttempt ? 'error' : 'warn',
    );
    if (finalAttempt) await definition.settle(jobId);
    throw error;
  }

  if ('skipped' in outcome) return outcome;
  if ('idle' in outcome) {
    await releaseUnit(store, unitId, lease.leaseId, 'pending');
    // A pause or stop that came while the unit ran, after its last check (a run that ends
    // without a batch never checks): it could not mark the running unit, and the deliveries
    // that would have seen it are no longer scheduled. Released first, so a stop that comes
    // after this look finds the unit pending and settles the job itself.
    const stop = stopOfStatus(await jobStatus(jobId));
    if (stop) return stopPending(stop);
    return outcome;
  }
  if ('stopped' in outcome) {
    if (outcome.stopped === 'shutdown') {
      await releaseUnit(store, unitId, lease.leaseId, 'pending');
      await enqueueUnits(definition, jobId, [unitId], `h${Date.now().toString(36)}`);
      await recordEvent(jobId, `${store.noun}_handed_over`, `${Noun} ${lease.seq} checkpointed by ${workerId}, which is shutting down; another worker continues it`);
      return { handedOver: true };
    }
    const status = outcome.stopped === 'paused' && store.hasCursor ? 'paused' : 'cancelled';
    await releaseUnit(store, unitId, lease.leaseId, status);
    await definition.settle(jobId);
    return outcome;
  }
  // A kind may have marked the unit done itself, with its results (verification does): then this changes nothing.
  await releaseUnit(store, unitId, lease.leaseId, 'done');
  await recordEvent(jobId, outcome.done.type, outcome.done.message, outcome.done.data);
  await definition.settle(jobId);
  return { [store.noun]: lease.seq, ...outcome.done.data };
}
