import { prisma } from '../db/client';
import type { JobStatus } from '../jobs/job-state';
import { recordEvent } from '../jobs/record-event';
import { consistencyScore } from './score';

const methodOf = (hashMatched: number, rowsRead: number) => (hashMatched > 0 ? (rowsRead > 0 ? 'mixed' : 'hash_ranges') : 'key_merge');

/**
 * Settles a verify job after one of its ranges stopped, with the job row locked so two
 * ranges finishing at once decide once: every compare range done → the extras pass may
 * start (general mode; `enqueueRanges` queues its ranges); every range done → totals and score written, job completed; a
 * range that failed after its retries → failed; cancelling with nothing running → cancelled.
 */
export async function settleVerify(jobId: string, enqueueRanges: (rangeIds: string[]) => Promise<void>): Promise<JobStatus | null> {
  const outcome = await prisma().$transaction(async (tx) => {
    const [job] = await tx.$queryRaw<{ status: JobStatus }[]>`SELECT status FROM jobs WHERE id = ${jobId} FOR UPDATE`;
    if (!job) return null;
    const ranges = await tx.consistencyRange.groupBy({ by: ['phase', 'status'], where: { jobId }, _count: { _all: true } });
    const count = (status: string, phase?: string) =>
      ranges.filter((r) => r.status === status && (!phase || r.phase === phase)).reduce((n, r) => n + r._count._all, 0);
    const active = count('pending') + count('running');

    if (job.status === 'cancelling' && count('running') === 0) {
      await tx.consistencyRange.updateMany({ where: { jobId, status: { in: ['pending', 'waiting'] } }, data: { status: 'cancelled' } });
      await tx.job.update({ where: { id: jobId }, data: { status: 'cancelled', stopReason: 'Cancelled before every range was compared; no score', finishedAt: new Date() } });
      const reports = await tx.consistencyReport.findMany({ where: { jobId }, select: { id: true } });
      await tx.consistencyKey.deleteMany({ where: { reportId: { in: reports.map((r) => r.id) } } });
      return { status: 'cancelled' as JobStatus, message: 'Verification cancelled', release: [] as string[] };
    }
    if (job.status !== 'running' || active > 0) return null;
    if (count('failed') > 0) {
      await tx.consistencyRange.updateMany({ where: { jobId, status: 'waiting' }, data: { status: 'cancelled' } });
      const reason = `${count('failed')} range(s) failed after all retries; see the event log`;
      await tx.job.update({ where: { id: jobId }, data: { status: 'failed', stopReason: reason, finishedAt: new Date() } });
      return { status: 'failed' as JobStatus, message: `Verification failed: ${reason}`, release: [] };
    }
    if (count('waiting', 'extras') > 0) {
      const waiting = await tx.consistencyRange.findMany({ where: { jobId, status: 'waiting' }, select: { id: true } });
      await tx.consistencyRange.updateMany({ where: { jobId, status: 'waiting' }, data: { status: 'pending' } });
      return { status: null, message: `Every source range compared; looking for extra target rows in ${waiting.length} range(s)`, release: waiting.map((r) => r.id) };
    }
    const sums = await tx.consistencyRange.aggregate({
      where: { jobId },
      _sum: { matched: true, different: true, missing: true, extra: true, nullKeys: true, duplicateKeys: true, rowsRead: true, hashMatched: true },
    });
    const s = sums._sum;
    const counts = {
      matched: s.matched ?? 0,
      different: s.different ?? 0,
      missing: s.missing ?? 0,
      extra: s.extra ?? 0,
      nullKeys: s.nullKeys ?? 0,
      duplicateKeys: s.duplicateKeys ?? 0,
    };
    const score = consistencyScore(counts);
    const report = await tx.consistencyReport.findFirst({ where: { jobId }, select: { id: true } });
    if (report) {
      await tx.consistencyReport.update({
        where: { id: report.id },
        data: { ...counts, score, method: methodOf(s.hashMatched ?? 0, s.rowsRead ?? 0), finishedAt: new Date() },
      });
      await tx.consistencyKey.deleteMany({ where: { reportId: report.id } });
    }
    await tx.job.update({ where: { id: jobId }, data: { status: 'completed', finishedAt: new Date() } });
    const percent = (score * 100).toFixed(2);
    return {
      status: 'completed' as JobStatus,
      message: `Verified: score ${percent} % — ${counts.matched} matched, ${counts.different} different, ${counts.missing} missing, ${counts.extra} extra, ${counts.nullKeys} NULL key(s), ${counts.duplicateKeys} duplicate key(s)`,
      release: [],
      counts,
    };
  });
  if (!outcome) return null;
  if (outcome.release.length) await enqueueRanges(outcome.release);
  await recordEvent(jobId, outcome.status ? 'finished' : 'extras_pass', outcome.message, 'counts' in outcome ? { ...outcome.counts } : undefined, outcome.status === 'failed' ? 'error' : 'info');
  return outcome.status;
}
