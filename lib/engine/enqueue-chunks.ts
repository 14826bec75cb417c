import { prisma } from '../db/client';
import type { JobKind } from '../db/generated/enums';
import { enqueue } from '../queue/enqueue';
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
 */
export async function enqueueChunks(jobId: string, chunkIds: string[], generation?: string): Promise<void> {
  const job = await prisma().job.findUniqueOrThrow({ where: { id: jobId }, select: { kind: true } });
  const name = chunkJobNames[job.kind];
  if (!name) throw new Error(`Jobs of kind ${job.kind} have no chunk processor`);
  for (const chunkId of chunkIds) {
    const dedupeId = generation ? `${chunkId}-${generation}` : chunkId;
    await enqueue(name, { jobId, chunkId }, dedupeId);
    await prisma().chunk.update({ where: { id: chunkId }, data: { queueJobId: `${name}-${dedupeId}` } });
  }
}
