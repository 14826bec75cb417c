import { prisma } from '../db/client';
import { finalStatuses } from '../jobs/job-state';
import { recordEvent } from '../jobs/record-event';
import { startVerify } from '../jobs/start-verify';
import type { SyncContext } from './sync-context';

/**
 * A sync that is behind is verified late by at most this long: a verification reads the
 * source and the target at slightly different moments, and changes still in flight show as
 * differences, so it waits for the sync to catch up, but not forever (a busy source may
 * never be quiet).
 */
export const VERIFY_CATCH_UP_GRACE_MS = 10 * 60_000;

/**
 * The sync's scheduled verification (C on the sync page): every `verifyMinutes` (the first
 * one that long after the sync started), when no
 * verification of the mapping is under way, a verify job of the sync's mapping version is
 * started as the sync job's child. Called after each cursor run and by a log reader every
 * half minute. The time is claimed first in one conditional update, so two callers never
 * start two; a verification that cannot start is recorded on the sync job and tried again
 * an interval later. Never throws: the sync goes on either way.
 */
export async function verifySyncWhenDue(ctx: SyncContext): Promise<void> {
  try {
    const sync = await prisma().sync.findUnique({ where: { id: ctx.sync.id }, select: { verifyMinutes: true, lastVerifyAt: true, pendingSince: true, mappingId: true } });
    if (!sync || sync.verifyMinutes <= 0) return;
    const now = Date.now();
    // The first one an interval after the sync started: an initial load is verified when it finishes (autoVerify).
    const since = sync.lastVerifyAt ?? (await prisma().job.findUnique({ where: { id: ctx.jobId }, select: { startedAt: true } }))?.startedAt ?? null;
    const dueAt = (since?.getTime() ?? 0) + sync.verifyMinutes * 60_000;
    if (now < dueAt) return;
    if (sync.pendingSince && now < dueAt + VERIFY_CATCH_UP_GRACE_MS) return;
    const running = await prisma().job.findFirst({ where: { mappingId: sync.mappingId, kind: 'verify', status: { notIn: [...finalStatuses] } }, select: { id: true } });
    if (running) return;
    const claimed = await prisma().sync.updateMany({
      where: { id: ctx.sync.id, lastVerifyAt: sync.lastVerifyAt ?? null },
      data: { lastVerifyAt: new Date(now) },
    });
    if (claimed.count !== 1) return;
    const verify = await startVerify(null, sync.mappingId, {}, { parentJobId: ctx.jobId, mappingVersionId: ctx.mappingVersionId });
    await recordEvent(ctx.jobId, 'verify_started', `Scheduled verification started: job ${verify.id}`, { verifyJobId: verify.id });
  } catch (error) {
    console.error(`[sync] could not start the scheduled verification of job ${ctx.jobId}`, error);
    await recordEvent(ctx.jobId, 'verify_not_started', `The scheduled verification could not start: ${(error as Error).message}`, undefined, 'warn').catch(() => undefined);
  }
}
