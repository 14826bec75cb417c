import { prisma } from '../db/client';
import { recordEvent } from '../jobs/record-event';
import { releaseCapture } from './capture-start';
import { scheduleSync, unscheduleSync } from './schedule-sync';

/** The sync kind's afterControl: the schedule follows pause, resume and stop, from whatever page they came. */
export async function afterSyncControl(jobId: string, action: 'pause' | 'resume' | 'cancel'): Promise<void> {
  const sync = await prisma().sync.findUnique({ where: { jobId }, include: { mapping: { select: { sourceConnectionId: true } }, job: { select: { chunks: { select: { id: true }, take: 1 } } } } });
  if (!sync) return;
  if (action === 'resume') {
    const unitId = sync.job?.chunks[0]?.id;
    if (unitId) await scheduleSync(sync, { jobId, unitId });
    return;
  }
  await unscheduleSync(sync.id);
  if (action === 'cancel' && sync.mode === 'log') {
    // The reader lets go of the slot when it sees the cancel; dropSlot waits for that (and terminates it if it lingers).
    await releaseCapture(sync.id, sync.mapping.sourceConnectionId).catch((error: unknown) =>
      recordEvent(jobId, 'capture_release_failed', `Could not drop the replication slot: ${(error as Error).message}. Drop it on the source, or it keeps WAL.`, undefined, 'warn'),
    );
  }
}
