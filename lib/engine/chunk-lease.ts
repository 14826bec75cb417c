import { randomUUID } from 'node:crypto';
import type { KeyTuple } from '../connectors/connector';
import { prisma } from '../db/client';

/**
 * A chunk is owned by one processing attempt at a time. BullMQ can deliver a chunk twice
 * (a stalled worker whose lock expired, a sweeper re-enqueue after Redis lost its jobs);
 * the lease makes the second delivery skip while the first is alive, and take over once
 * the owner's heartbeat is older than `staleMs`.
 */
export interface ChunkLease {
  leaseId: string;
  seq: number;
  attempts: number;
  lowerKey: KeyTuple | null;
  upperKey: KeyTuple | null;
  cursor: KeyTuple | null;
  lastError: string | null;
}

export class LeaseLostError extends Error {
  constructor(chunkId: string) {
    super(`Chunk ${chunkId} was taken over by another worker; this attempt stops without counting its batch`);
    this.name = 'LeaseLostError';
  }
}

export async function claimChunk(chunkId: string, workerId: string, staleMs: number): Promise<ChunkLease | null> {
  const leaseId = randomUUID();
  const rows = await prisma().$queryRaw<
    { seq: number; attempts: number; lower_key: KeyTuple | null; upper_key: KeyTuple | null; cursor: KeyTuple | null; last_error: string | null }[]
  >`
    UPDATE chunks
       SET status = 'running', lease_id = ${leaseId}, worker_id = ${workerId}, heartbeat_at = now(),
           attempts = attempts + 1, started_at = coalesce(started_at, now())
     WHERE id = ${chunkId}
       AND (status = 'pending'
            OR (status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => ${staleMs / 1000}))))
    RETURNING seq, attempts, lower_key, upper_key, cursor, last_error`;
  const row = rows[0];
  if (!row) return null;
  return { leaseId, seq: row.seq, attempts: row.attempts, lowerKey: row.lower_key, upperKey: row.upper_key, cursor: row.cursor, lastError: row.last_error };
}

/** Hands the chunk back (to be continued from its cursor) or marks how it stopped. */
export async function releaseChunk(
  chunkId: string,
  leaseId: string,
  status: 'pending' | 'paused' | 'cancelled' | 'failed' | 'done',
  lastError?: string,
): Promise<boolean> {
  const released = await prisma().chunk.updateMany({
    where: { id: chunkId, leaseId },
    data: {
      status,
      leaseId: null,
      workerId: null,
      ...(status === 'done' ? { finishedAt: new Date() } : {}),
      ...(lastError !== undefined ? { lastError: lastError.slice(0, 2000) } : {}),
    },
  });
  return released.count === 1;
}
