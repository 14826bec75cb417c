import { prisma } from '../../db/client';
import { liveWorkerCutoff } from '../worker-liveness';

/** One unit as the job page lists it, whatever table holds it. */
export interface UnitProgress {
  seq: number;
  status: 'pending' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';
  rowsRead: number;
  rowsWritten: number;
  rowsFailed: number;
  rowsDuplicate: number;
  attempts: number;
  workerId: string | null;
  lastError: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  /**
   * A running unit whose worker stopped sending heartbeats: when it was last heard of (its
   * worker's last beat, or the unit's own when the worker row is gone). Null otherwise.
   * The sweeper hands such units over; until then they are not "running" anywhere.
   */
  workerLostAt: Date | null;
}

/**
 * Where a kind's units live. Two tables share the lease columns (status, lease_id,
 * worker_id, heartbeat_at, attempts, queue_job_id, last_error): `chunks` for work that
 * copies rows (migration, replay, repair) and `consistency_ranges` for verification, whose
 * ranges carry counters of their own. Lease, enqueue, sweep and control code is written
 * once against this description.
 */
export interface UnitStore {
  table: 'chunks' | 'consistency_ranges';
  /** The PostgreSQL enum of its status column. */
  statusType: '"ChunkStatus"' | '"RangeStatus"';
  /** What the unit is called in events and errors. */
  noun: 'chunk' | 'range';
  hasCursor: boolean;
  hasPhase: boolean;
  /** Unit statuses a cancel moves straight to cancelled (nothing holds them). */
  cancellable: readonly string[];
  /** The job's units in order, as the job page shows them. */
  progress(jobId: string): Promise<UnitProgress[]>;
}

export const chunkStore: UnitStore = {
  table: 'chunks',
  statusType: '"ChunkStatus"',
  noun: 'chunk',
  hasCursor: true,
  hasPhase: false,
  cancellable: ['pending', 'paused'],
  progress: async (jobId) => {
    const chunks = await prisma().chunk.findMany({
      where: { jobId },
      orderBy: { seq: 'asc' },
      select: { seq: true, status: true, rowsRead: true, rowsWritten: true, rowsFailed: true, rowsDuplicate: true, attempts: true, workerId: true, lastError: true, startedAt: true, finishedAt: true, heartbeatAt: true },
    });
    return withWorkerLiveness(chunks);
  },
};

/** Verify ranges in the shape of chunks: rows read = rows compared (read or hash-matched). */
export const rangeStore: UnitStore = {
  table: 'consistency_ranges',
  statusType: '"RangeStatus"',
  noun: 'range',
  hasCursor: false,
  hasPhase: true,
  // An extras range waits for the compare pass; a cancel ends its wait too.
  cancellable: ['pending', 'waiting'],
  progress: async (jobId) => {
    const ranges = await prisma().consistencyRange.findMany({
      where: { jobId },
      orderBy: [{ phase: 'asc' }, { seq: 'asc' }],
      select: { seq: true, status: true, rowsRead: true, hashMatched: true, attempts: true, workerId: true, lastError: true, startedAt: true, finishedAt: true, heartbeatAt: true },
    });
    return withWorkerLiveness(
      ranges.map(({ hashMatched, rowsRead, status, ...r }, seq) => ({
        ...r,
        seq,
        status: status === 'waiting' ? ('pending' as const) : status,
        rowsRead: rowsRead + hashMatched,
        rowsWritten: 0,
        rowsFailed: 0,
        rowsDuplicate: 0,
      })),
    );
  },
};

/**
 * Marks running units whose worker is silent past the liveness cutoff (see worker-liveness.ts,
 * the sweeper's rule too). A unit whose worker row is missing is judged by its own heartbeat,
 * so a worker that has just started and not yet beaten is not called dead.
 */
async function withWorkerLiveness(units: (Omit<UnitProgress, 'workerLostAt'> & { heartbeatAt: Date | null })[]): Promise<UnitProgress[]> {
  const ids = [...new Set(units.flatMap((u) => (u.status === 'running' && u.workerId ? [u.workerId] : [])))];
  const workers = ids.length ? await prisma().workerProcess.findMany({ where: { id: { in: ids } }, select: { id: true, heartbeatAt: true } }) : [];
  const beatOf = new Map(workers.map((w) => [w.id, w.heartbeatAt]));
  const cutoff = liveWorkerCutoff().getTime();
  return units.map(({ heartbeatAt, ...unit }) => {
    const lastHeard = unit.status === 'running' ? ((unit.workerId && beatOf.get(unit.workerId)) || heartbeatAt || unit.startedAt) : null;
    return { ...unit, workerLostAt: lastHeard && lastHeard.getTime() < cutoff ? lastHeard : null };
  });
}
