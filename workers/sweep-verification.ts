import { enqueueRanges } from '@/lib/consistency/settle-verify';
import { prisma } from '@/lib/db/client';
import { recordEvent } from '@/lib/jobs/record-event';
import { enqueue, ferryQueue } from '@/lib/queue/enqueue';

/** True when the BullMQ job is gone or finished (so nothing will process its work again). */
async function lost(queueJobId: string | null): Promise<boolean> {
  const queued = queueJobId ? await ferryQueue().getJob(queueJobId) : null;
  const state = queued ? await queued.getState() : 'missing';
  return state === 'missing' || state === 'completed' || state === 'failed' || state === 'unknown';
}

/**
 * The sweeper's share for verification and repair (see sweeper.ts): verify ranges and
 * repair chunks of active jobs whose queue entry vanished are enqueued again (leases make
 * a duplicate harmless). Returns how many.
 */
export async function sweepVerification(staleBefore: Date): Promise<number> {
  const generation = `s${Date.now().toString(36)}`;
  let requeued = 0;
  const ranges = await prisma().consistencyRange.findMany({
    where: {
      jobId: { in: (await prisma().job.findMany({ where: { kind: 'verify', status: { in: ['running', 'cancelling'] } }, select: { id: true } })).map((j) => j.id) },
      OR: [{ status: 'pending' }, { status: 'running', OR: [{ heartbeatAt: null }, { heartbeatAt: { lt: staleBefore } }] }],
    },
    select: { id: true, jobId: true, seq: true, queueJobId: true },
    take: 1000,
  });
  for (const range of ranges) {
    if (!(await lost(range.queueJobId))) continue;
    await enqueueRanges(range.jobId, [range.id], generation);
    await recordEvent(range.jobId, 'range_requeued', `Range ${range.seq} had no live queue entry; enqueued again`, undefined, 'warn');
    requeued += 1;
  }
  const repairs = await prisma().chunk.findMany({
    where: {
      job: { kind: 'repair', status: { in: ['running', 'cancelling'] } },
      OR: [{ status: 'pending' }, { status: 'running', OR: [{ heartbeatAt: null }, { heartbeatAt: { lt: staleBefore } }] }],
    },
    select: { id: true, jobId: true, queueJobId: true },
  });
  for (const chunk of repairs) {
    if (!(await lost(chunk.queueJobId))) continue;
    const dedupeId = `${chunk.id}-${generation}`;
    await enqueue('repair-rows', { jobId: chunk.jobId, chunkId: chunk.id }, dedupeId);
    await prisma().chunk.update({ where: { id: chunk.id }, data: { queueJobId: `repair-rows-${dedupeId}` } });
    await recordEvent(chunk.jobId, 'chunk_requeued', 'The repair had no live queue entry; enqueued again', undefined, 'warn');
    requeued += 1;
  }
  return requeued;
}
