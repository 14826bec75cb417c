import type { Actor } from '@/lib/auth/roles';
import { countsOf } from '@/lib/consistency/counts';
import { prisma } from '@/lib/db/client';
import { isFinal } from '@/lib/jobs/job-state';
import { startVerify } from '@/lib/jobs/start-verify';
import type { ConsistencyCounts } from '@/lib/schemas/consistency';
import { log } from './bench-env';

export interface VerifyRun extends ConsistencyCounts {
  jobId: string;
  status: string;
  stopReason: string | null;
  seconds: number;
  score: number | null;
  method: string | null;
  /** Rows matched by in-database hashes without being read. */
  hashMatched: number;
  rowsRead: number;
  ranges: number;
  /** The planner's words: which mode, and why the fast path was (not) used. */
  planned: string;
}

/** Starts a verify job as an admin would and waits for its final state; the time is the job's own end. */
export async function runVerify(actor: Actor, mappingId: string, rangeRows: number, timeoutSeconds: number): Promise<VerifyRun> {
  const startedAt = new Date();
  const job = await startVerify(actor, mappingId, { settings: { rangeRows } });
  let lastLog = performance.now();
  for (;;) {
    const row = await prisma().job.findUniqueOrThrow({ where: { id: job.id }, select: { status: true } });
    if (isFinal(row.status)) break;
    if (performance.now() - lastLog > 10_000) {
      lastLog = performance.now();
      const done = await prisma().consistencyRange.count({ where: { jobId: job.id, status: 'done' } });
      log(`  … ${row.status}, ${done} range(s) done after ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s`);
    }
    if (Date.now() - startedAt.getTime() > timeoutSeconds * 1000) throw new Error(`verify job ${job.id} still ${row.status} after ${timeoutSeconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const [final, report, sums, planned] = await Promise.all([
    prisma().job.findUniqueOrThrow({ where: { id: job.id }, select: { status: true, stopReason: true, finishedAt: true } }),
    prisma().consistencyReport.findFirstOrThrow({
      where: { jobId: job.id },
      select: { matched: true, different: true, missing: true, extra: true, nullKeys: true, duplicateKeys: true, score: true, method: true, rangesTotal: true },
    }),
    prisma().consistencyRange.aggregate({ where: { jobId: job.id }, _sum: { hashMatched: true, rowsRead: true } }),
    prisma().jobEvent.findFirst({ where: { jobId: job.id, type: 'planned' }, select: { message: true } }),
  ]);
  const finishedAt = final.finishedAt ?? new Date();
  return {
    jobId: job.id,
    status: final.status,
    stopReason: final.stopReason,
    seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    ...countsOf(report),
    score: report.score,
    method: report.method,
    hashMatched: sums._sum.hashMatched ?? 0,
    rowsRead: sums._sum.rowsRead ?? 0,
    ranges: report.rangesTotal,
    planned: planned?.message ?? '(no plan event)',
  };
}
