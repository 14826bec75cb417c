import { prisma } from '../db/client';
import type { JobKind } from '../db/generated/enums';
import { enqueueMany } from '../queue/enqueue';
import type { JobName } from '../queue/job-names';

/** The BullMQ job that processes one chunk of each kind of job. */
const chunkJobNames: Partial<Record<JobKind, Extract<JobName, 'copy-chunk' | 'replay-chunk'>>> = {
  migration: 'copy-chunk',
  replay: 'replay-chunk',
};

/**
 * Enqueues the chunk jobs and remembers which BullMQ job is responsible for each chunk,
 * so the sweeper can tell a chunk whose queue entry vanished from one still waiting.
 * `generation` makes a fresh BullMQ id (resume, takeover); without it the id is stable.
 *
 * Two round trips whatever the number of chunks: the planner runs in a worker slot while
 * the first chunks already copy, and a round trip per chunk kept that slot from copying
 * for over half a second on a busy machine. The ids are recorded before the jobs exist;
 * a sweeper that looks in between re-enqueues under the same id, which BullMQ ignores.
 */
export async function enqueueChunks(jobId: string, chunkIds: string[], generation?: string): Promise<void> {
  if (chunkIds.length === 0) return;
  const job = await prisma().job.findUniqueOrThrow({ where: { id: jobId }, select: { kind: true } });
  const name = chunkJobNames[job.kind];
  if (!name) throw new Error(`Jobs of kind ${job.kind} have no chunk processor`);
  const suffix = generation ? `-${generation}` : '';
  await prisma().$executeRaw`UPDATE chunks SET queue_job_id = ${`${name}-`} || id || ${suffix} WHERE id = ANY(${chunkIds}::text[])`;
  await enqueueMany(
    name,
    chunkIds.map((chunkId) => ({ payload: { jobId, chunkId }, dedupeId: `${chunkId}${suffix}` })),
  );
}
