import { prisma } from '@/lib/db/client';
import { enqueueChunks } from '@/lib/engine/enqueue-chunks';
import { enqueue, ferryQueue } from '@/lib/queue/enqueue';
import { recordEvent } from '@/lib/jobs/record-event';
import { sweepVerification } from './sweep-verification';

/**
 * PostgreSQL is the record of what must happen; Redis only holds the to-do list. If Redis
 * loses jobs (a restart without persistence, a flush), unfinished chunks would wait
 * forever: the sweeper finds chunks of active jobs whose BullMQ job is gone (or finished
 * while the chunk is not) and enqueues them again. Chunk leases make a duplicate harmless.
 */
const SWEEP_LOCK = 7211000002;

export async function sweepOnce(staleMs: number): Promise<{ requeuedChunks: number; replannedJobs: number }> {
  return prisma().$transaction(
    async (tx) => {
      const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${SWEEP_LOCK}) AS locked`;
      if (!locked) return { requeuedChunks: 0, replannedJobs: 0 };
      const staleBefore = new Date(Date.now() - staleMs);
      const candidates = await tx.chunk.findMany({
        where: {
          job: { status: { in: ['running', 'pausing', 'cancelling'] }, kind: { in: ['migration', 'replay'] } },
          OR: [{ status: 'pending' }, { status: 'running', OR: [{ heartbeatAt: null }, { heartbeatAt: { lt: staleBefore } }] }],
        },
        select: { id: true, jobId: true, seq: true, queueJobId: true },
        take: 1000,
      });
      const orphans: typeof candidates = [];
      for (const chunk of candidates) {
        const queued = chunk.queueJobId ? await ferryQueue().getJob(chunk.queueJobId) : null;
        const state = queued ? await queued.getState() : 'missing';
        if (state === 'missing' || state === 'completed' || state === 'failed' || state === 'unknown') orphans.push(chunk);
      }
      const generation = `s${Date.now().toString(36)}`;
      for (const chunk of orphans) {
        await enqueueChunks(chunk.jobId, [chunk.id], generation);
        await recordEvent(chunk.jobId, 'chunk_requeued', `Chunk ${chunk.seq} had no live queue entry; enqueued again`, undefined, 'warn');
      }
      const verification = await sweepVerification(staleBefore);
      // Jobs still waiting to be planned: the planner's id is stable, so this is a no-op
      // unless Redis lost it.
      const unplanned = await tx.job.findMany({
        where: { kind: { in: ['migration', 'verify'] }, status: { in: ['queued', 'planning'] }, createdAt: { lt: staleBefore } },
        select: { id: true, kind: true },
      });
      for (const job of unplanned) {
        const planner = job.kind === 'verify' ? 'plan-verify' : 'plan-migration';
        const queued = await ferryQueue().getJob(`${planner}-${job.id}`);
        if (!queued || ['completed', 'failed'].includes(await queued.getState())) {
          if (queued) await queued.remove().catch(() => undefined);
          await enqueue(planner, { jobId: job.id }, job.id);
        }
      }
      return { requeuedChunks: orphans.length + verification, replannedJobs: unplanned.length };
    },
    { timeout: 60_000 },
  );
}

export function startSweeper(workerId: string, everyMs: number, staleMs: number): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const result = await sweepOnce(staleMs);
      if (result.requeuedChunks > 0) console.log(`[worker ${workerId}] sweeper re-enqueued ${result.requeuedChunks} chunk(s)`);
    } catch (error) {
      console.error(`[worker ${workerId}] sweeper: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  }, everyMs);
  return () => clearInterval(timer);
}
