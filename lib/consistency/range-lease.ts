import { randomUUID } from 'node:crypto';
import type { KeyTuple } from '../connectors/connector';
import { prisma } from '../db/client';

/**
 * A verify range is owned by one processing attempt at a time, like a migration chunk
 * (lib/engine/chunk-lease.ts): a second delivery skips while the owner is alive and takes
 * over once the owner's heartbeat is older than `staleMs`. The attempt number tags the
 * diffs and keys the attempt writes, so the attempt that finishes drops everyone else's.
 */
export interface RangeLease {
  leaseId: string;
  attempt: number;
  seq: number;
  phase: 'compare' | 'extras';
  lowerKey: KeyTuple | null;
  upperKey: KeyTuple | null;
  lastError: string | null;
}

export async function claimRange(rangeId: string, workerId: string, staleMs: number): Promise<RangeLease | null> {
  const leaseId = randomUUID();
  const rows = await prisma().$queryRaw<
    { seq: number; attempts: number; phase: 'compare' | 'extras'; lower_key: KeyTuple | null; upper_key: KeyTuple | null; last_error: string | null }[]
  >`
    UPDATE consistency_ranges
       SET status = 'running', lease_id = ${leaseId}, worker_id = ${workerId}, heartbeat_at = now(),
           attempts = attempts + 1, started_at = coalesce(started_at, now())
     WHERE id = ${rangeId}
       AND (status = 'pending'
            OR (status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => ${staleMs / 1000}))))
    RETURNING seq, attempts, phase, lower_key, upper_key, last_error`;
  const row = rows[0];
  if (!row) return null;
  return { leaseId, attempt: row.attempts, seq: row.seq, phase: row.phase, lowerKey: row.lower_key, upperKey: row.upper_key, lastError: row.last_error };
}

/** Keeps the lease fresh between batches; false when another attempt took the range over. */
export async function heartbeatRange(rangeId: string, leaseId: string): Promise<boolean> {
  const moved = await prisma().consistencyRange.updateMany({ where: { id: rangeId, leaseId }, data: { heartbeatAt: new Date() } });
  return moved.count === 1;
}

/** Hands the range back (to be done again) or marks how it stopped without results. */
export async function releaseRange(rangeId: string, leaseId: string, status: 'pending' | 'cancelled' | 'failed', lastError?: string): Promise<boolean> {
  const released = await prisma().consistencyRange.updateMany({
    where: { id: rangeId, leaseId },
    data: { status, leaseId: null, workerId: null, ...(lastError !== undefined ? { lastError: lastError.slice(0, 2000) } : {}) },
  });
  return released.count === 1;
}
