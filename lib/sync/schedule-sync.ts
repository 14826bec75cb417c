import type { Sync } from '../db/generated/client';
import { prisma } from '../db/client';
import { ferryQueue } from '../queue/enqueue';
import type { UnitPayload } from '../queue/job-names';

/** How often a log sync's reader is looked after: a dead worker's reader is continued by the next tick's worker. */
export const LOG_READER_TICK_MS = 10_000;

const schedulerId = (syncId: string) => `sync-${syncId}`;

/**
 * The one place BullMQ job schedulers of syncs are written (start, resume, edit, and the
 * sweeper's repair after Redis lost them); workers never upsert at start-up, where
 * concurrent upserts have dropped or duplicated schedulers. Each delivery runs the sync's
 * one unit under its lease, so a slow run is never overlapped by the next: that delivery
 * finds the lease held and leaves. Cursor syncs follow their interval or cron pattern (in
 * their time zone); log syncs tick every LOG_READER_TICK_MS to keep exactly one reader alive.
 */
export async function scheduleSync(sync: Pick<Sync, 'id' | 'mode' | 'everySeconds' | 'cron' | 'timeZone'>, unit: UnitPayload): Promise<void> {
  const repeat =
    sync.mode === 'log' || !sync.cron
      ? { every: sync.mode === 'log' ? LOG_READER_TICK_MS : (sync.everySeconds ?? 60) * 1000 }
      : { pattern: sync.cron, tz: sync.timeZone };
  await ferryQueue().upsertJobScheduler(schedulerId(sync.id), repeat, {
    name: 'sync-run',
    data: unit,
    // A failed run is retried by the next delivery, not by BullMQ (see deliveredBy in job-kind.ts).
    opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 500 } },
  });
}

export async function unscheduleSync(syncId: string): Promise<void> {
  await ferryQueue().removeJobScheduler(schedulerId(syncId));
}

/** When the scheduler delivers next (the sync page's "next run"); null without a scheduler. */
export async function nextSyncRun(syncId: string): Promise<Date | null> {
  const scheduler = await ferryQueue().getJobScheduler(schedulerId(syncId));
  return scheduler?.next ? new Date(scheduler.next) : null;
}

/**
 * Schedulers of running syncs that Redis no longer has (a flush, a restore): written again.
 * Called by the sweeper, which runs one at a time across workers.
 */
export async function restoreSyncSchedules(): Promise<number> {
  const running = await prisma().sync.findMany({
    where: { job: { status: { in: ['running'] } } },
    select: { id: true, mode: true, everySeconds: true, cron: true, timeZone: true, jobId: true, job: { select: { chunks: { select: { id: true }, take: 1 } } } },
  });
  let restored = 0;
  for (const sync of running) {
    const unitId = sync.job?.chunks[0]?.id;
    if (!sync.jobId || !unitId) continue;
    if (await ferryQueue().getJobScheduler(schedulerId(sync.id))) continue;
    await scheduleSync(sync, { jobId: sync.jobId, unitId });
    restored += 1;
  }
  return restored;
}
