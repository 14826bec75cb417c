import { randomUUID } from 'node:crypto';
import type { KeyTuple } from '../../connectors/connector';
import { prisma } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import type { UnitStore } from './unit-stores';

/**
 * A unit of work (a migration chunk, a verify range, a replay's or repair's one chunk) is
 * owned by one processing attempt at a time. BullMQ can deliver a unit twice (a stalled
 * worker whose lock expired, a sweeper re-enqueue after Redis lost its jobs); the lease
 * makes the second delivery skip while the first is alive, and take over once the owner's
 * heartbeat is older than `staleMs`. The attempt number also tags what an attempt writes
 * (verification's diffs), so the attempt that finishes can drop everyone else's.
 */
export interface UnitLease {
  leaseId: string;
  seq: number;
  /** This attempt's number, counting every claim of the unit. */
  attempts: number;
  lowerKey: KeyTuple | null;
  upperKey: KeyTuple | null;
  /** Where the unit's previous attempts got to, as the kind stored it (parsed by the kind's cursor schema). */
  cursor: unknown;
  /** Verification ranges: the pass the range belongs to. */
  phase: 'compare' | 'extras' | null;
  lastError: string | null;
}

export class LeaseLostError extends Error {
  constructor(noun: string, unitId: string) {
    super(`${noun[0].toUpperCase()}${noun.slice(1)} ${unitId} was taken over by another worker; this attempt stops without counting its batch`);
    this.name = 'LeaseLostError';
  }
}

/** How a unit stopped, as its store spells it. */
export type UnitRelease = 'pending' | 'paused' | 'cancelled' | 'failed' | 'done';

/**
 * Claims a unit, or answers why not: `taken` (finished, or owned by a live attempt) or
 * `busy` (the job already runs as many units as its limit allows; try again shortly).
 * Under a limit, claims of one job are serialised on its row, and the count only looks
 * at units whose owner beat recently, so a dead worker's unit never holds a slot.
 */
export async function claimUnit(
  store: UnitStore,
  jobId: string,
  unitId: string,
  workerId: string,
  staleMs: number,
  /** The job's `maxParallelChunks` (0: no limit), as the caller read it with the job's status. */
  limit = 0,
): Promise<UnitLease | 'taken' | 'busy'> {
  if (limit <= 0) return (await claimUnitIn(prisma(), store, unitId, workerId, staleMs)) ?? 'taken';
  return prisma().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM jobs WHERE id = ${jobId} FOR UPDATE`;
    const [{ running }] = await tx.$queryRaw<{ running: number }[]>`
      SELECT count(*)::int AS running FROM ${Prisma.raw(store.table)}
       WHERE job_id = ${jobId} AND id <> ${unitId} AND status = 'running'
         AND heartbeat_at >= now() - make_interval(secs => ${staleMs / 1000})`;
    if (running >= limit) return 'busy';
    return (await claimUnitIn(tx, store, unitId, workerId, staleMs)) ?? 'taken';
  });
}

async function claimUnitIn(db: Pick<Prisma.TransactionClient, '$queryRaw'>, store: UnitStore, unitId: string, workerId: string, staleMs: number): Promise<UnitLease | null> {
  const leaseId = randomUUID();
  const rows = await db.$queryRaw<
    { seq: number; attempts: number; lower_key: KeyTuple | null; upper_key: KeyTuple | null; cursor: unknown; phase: 'compare' | 'extras' | null; last_error: string | null }[]
  >`
    UPDATE ${Prisma.raw(store.table)}
       SET status = 'running', lease_id = ${leaseId}, worker_id = ${workerId}, heartbeat_at = now(),
           attempts = attempts + 1, started_at = coalesce(started_at, now())
     WHERE id = ${unitId}
       AND (status = 'pending'
            OR (status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => ${staleMs / 1000}))))
    RETURNING seq, attempts, lower_key, upper_key, ${Prisma.raw(store.hasCursor ? 'cursor' : 'NULL::jsonb AS cursor')},
              ${Prisma.raw(store.hasPhase ? 'phase::text AS phase' : 'NULL::text AS phase')}, last_error`;
  const row = rows[0];
  if (!row) return null;
  return {
    leaseId,
    seq: row.seq,
    attempts: row.attempts,
    lowerKey: row.lower_key,
    upperKey: row.upper_key,
    cursor: row.cursor,
    phase: row.phase,
    lastError: row.last_error,
  };
}

/** Keeps the lease fresh between batches; false when another attempt took the unit over. */
export async function heartbeatUnit(store: UnitStore, unitId: string, leaseId: string): Promise<boolean> {
  const moved = await prisma().$executeRaw`UPDATE ${Prisma.raw(store.table)} SET heartbeat_at = now() WHERE id = ${unitId} AND lease_id = ${leaseId}`;
  return moved === 1;
}

/** Hands the unit back (to be continued from its cursor) or marks how it stopped. */
export async function releaseUnit(store: UnitStore, unitId: string, leaseId: string, status: UnitRelease, lastError?: string): Promise<boolean> {
  const released = await prisma().$executeRaw`
    UPDATE ${Prisma.raw(store.table)}
       SET status = ${status}::${Prisma.raw(store.statusType)}, lease_id = NULL, worker_id = NULL,
           finished_at = CASE WHEN ${status} = 'done' THEN now() ELSE finished_at END,
           last_error = CASE WHEN ${lastError !== undefined} THEN ${lastError?.slice(0, 2000) ?? null} ELSE last_error END
     WHERE id = ${unitId} AND lease_id = ${leaseId}`;
  return released === 1;
}
