import { prisma } from '../db/client';
import { notFound } from '../errors';
import { allowedActions, isFinal } from './job-state';
import { kindView } from './kinds/job-kind';
import { jobKindOf } from './kinds/job-kinds';

/**
 * A job as the job page shows it. Totals are sums over chunks (each chunk's counters
 * move only with its checkpoint), so they are exact even after retries and crashes.
 */
export async function getJobProgress(jobId: string) {
  const job = await prisma().job.findUnique({
    where: { id: jobId },
    select: {
      id: true,
      kind: true,
      status: true,
      options: true,
      rowsEstimated: true,
      stopReason: true,
      parentJobId: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      createdBy: { select: { email: true } },
      mapping: { select: { id: true, name: true, sourceTable: true, targetTable: true } },
      mappingVersion: { select: { version: true } },
    },
  });
  if (!job) throw notFound('Job');
  const definition = jobKindOf(job.kind);
  const chunks = await definition.units.store.progress(jobId);
  const sum = (pick: (c: (typeof chunks)[number]) => number) => chunks.reduce((total, c) => total + pick(c), 0);
  const totals = {
    read: sum((c) => c.rowsRead),
    written: sum((c) => c.rowsWritten),
    failed: sum((c) => c.rowsFailed),
    duplicates: sum((c) => c.rowsDuplicate),
  };
  const end = job.finishedAt ?? new Date();
  const seconds = job.startedAt ? Math.max(0.001, (end.getTime() - job.startedAt.getTime()) / 1000) : 0;
  const rowsPerSecond = seconds > 0 ? totals.read / seconds : 0;
  const remaining = job.rowsEstimated != null ? Math.max(0, job.rowsEstimated - totals.read) : null;
  const percent = isFinal(job.status) && job.status !== 'cancelled' && job.status !== 'failed'
    ? 100
    : job.rowsEstimated ? Math.min(99.9, (totals.read / job.rowsEstimated) * 100) : 0;
  return {
    ...job,
    kindView: kindView(definition),
    mappingVersion: job.mappingVersion.version,
    createdBy: job.createdBy?.email ?? null,
    totals,
    chunks,
    chunkCounts: {
      total: chunks.length,
      done: chunks.filter((c) => c.status === 'done').length,
      running: chunks.filter((c) => c.status === 'running').length,
    },
    rate: { rowsPerSecond, elapsedSeconds: seconds, etaSeconds: remaining != null && rowsPerSecond > 0 && !isFinal(job.status) ? remaining / rowsPerSecond : null },
    percent,
    // Kinds that cannot pause can only be cancelled (control-job refuses pause/resume).
    actions: allowedActions(job.status).filter((a) => a === 'cancel' || definition.pausable),
  };
}

export type JobProgress = Awaited<ReturnType<typeof getJobProgress>>;

export async function listJobs(options: { mappingId?: string; take?: number }) {
  const jobs = await prisma().job.findMany({
    where: { mappingId: options.mappingId },
    orderBy: { createdAt: 'desc' },
    take: Math.min(options.take ?? 50, 200),
    select: {
      id: true,
      kind: true,
      status: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      rowsEstimated: true,
      mapping: { select: { id: true, name: true } },
      mappingVersion: { select: { version: true } },
    },
  });
  const sums = await prisma().chunk.groupBy({
    by: ['jobId'],
    where: { jobId: { in: jobs.map((j) => j.id) } },
    _sum: { rowsRead: true, rowsWritten: true, rowsFailed: true },
  });
  const byJob = new Map(sums.map((s) => [s.jobId, s._sum]));
  return jobs.map((j) => ({
    ...j,
    kindView: kindView(jobKindOf(j.kind)),
    mappingVersion: j.mappingVersion.version,
    read: byJob.get(j.id)?.rowsRead ?? 0,
    written: byJob.get(j.id)?.rowsWritten ?? 0,
    failed: byJob.get(j.id)?.rowsFailed ?? 0,
  }));
}
export type JobListItem = Awaited<ReturnType<typeof listJobs>>[number];
