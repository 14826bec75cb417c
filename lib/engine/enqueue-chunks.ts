import { prisma } from '../db/client';
import { enqueue } from '../queue/enqueue';

/**
 * Enqueues copy jobs for chunks and remembers which BullMQ job is responsible for each,
 * so the sweeper can tell a chunk whose queue entry vanished from one still waiting.
 * `generation` makes a fresh BullMQ id (resume, takeover); without it the id is stable.
 */
export async function enqueueChunks(jobId: string, chunkIds: string[], generation?: string): Promise<void> {
  for (const chunkId of chunkIds) {
    const dedupeId = generation ? `${chunkId}-${generation}` : chunkId;
    await enqueue('copy-chunk', { jobId, chunkId }, dedupeId);
    await prisma().chunk.update({ where: { id: chunkId }, data: { queueJobId: `copy-chunk-${dedupeId}` } });
  }
}
