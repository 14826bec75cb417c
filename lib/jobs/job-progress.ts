import { prisma } from '../db/client';
import { notFound } from '../errors';
import { describeCondition, jobConditionSchema, type JobCondition } from '../schemas/job-condition';
import { describeFailedRows, describeReplayOutcome, failedRowsOf, replayOutcomeOf } from './failed-rows';
import { etaSeconds, rowsPerRunningSecond, runningSeconds } from './job-rate';
import { allowedActions, isFinal, type JobStatus } from './job-state';
import { kindView } from './kinds/job-kind';
import { jobKindOf } from './kinds/job-kinds';

/**
 * A job's condition (retrying, waiting) while it applies: the job is on its way and not
 * held by an admin. Left on a paused or finished job it is history, and its stop reason
 * says what happened; a value that does not parse is ignored rather than shown garbled.
 */
function currentCondition(status: JobStatus, stored: unknown): JobCondition | null {
  if (stored == null || status === 'paused' || isFinal(status)) return null;
  const parsed = jobConditionSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/**
 * A job as the job page shows it. Totals are sums over chunks (each chunk's counters
 * move only with its checkpoint), so they are exact even after retries and crashes; failed
 * rows of a job that owns error rows are counted from those rows, which replays resolve
 * after the job has finished (see failed-rows.ts).
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
      rowsEstimateExact: true,
      stopReason: true,
      condition: true,
      parentJobId: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      activeSeconds: true,
      activeSince: true,
      createdBy: { select: { email: true } },
      mapping: { select: { id: true, name: true, sourceTable: true, targetTable: true } },
      mappingVersion: { select: { version: true } },
    },
  });
  if (!job) throw notFound('Job');
  const { condition: storedCondition, activeSeconds, activeSince, ...shown } = job;
  const definition = jobKindOf(job.kind);
  const chunks = await definition.units.store.progress(jobId);
  const sum = (pick: (c: (typeof chunks)[number]) => number) => chunks.reduce((total, c) => total + pick(c), 0);
  const counted = {
    read: sum((c) => c.rowsRead),
    written: sum((c) => c.rowsWritten),
    failed: sum((c) => c.rowsFailed),
    duplicates: sum((c) => c.rowsDuplicate),
  };
  const failedRows = definition.ownsErrorRows ? ((await failedRowsOf([jobId])).get(jobId) ?? null) : null;
  const replayOutcome =
    !definition.ownsErrorRows && definition.copiesRows && job.parentJobId ? await replayOutcomeOf(jobId, job.parentJobId, counted) : null;
  const totals = { ...counted, failed: failedRows ? failedRows.failed : counted.failed };
  // The reason settle wrote ("N row(s) did not land") is true only until a replay lands some; it is said again from now.
  const outcomeText = failedRows && failedRows.failed > 0 ? describeFailedRows(failedRows) : replayOutcome ? describeReplayOutcome(replayOutcome) : null;
  const stopReason = job.status === 'completed_with_errors' && outcomeText ? outcomeText : job.stopReason;

  const now = Date.now();
  const running = runningSeconds({ activeSeconds, activeSince, startedAt: job.startedAt, finishedAt: job.finishedAt }, now);
  const rowsPerSecond = rowsPerRunningSecond(totals.read, running);
  const remaining = job.rowsEstimated != null ? Math.max(0, job.rowsEstimated - totals.read) : null;
  const elapsedSeconds = job.startedAt ? Math.max(0, ((job.finishedAt?.getTime() ?? now) - job.startedAt.getTime()) / 1000) : 0;
  const percent = isFinal(job.status) && job.status !== 'cancelled' && job.status !== 'failed'
    ? 100
    : job.rowsEstimated ? Math.min(99.9, (totals.read / job.rowsEstimated) * 100) : 0;
  const condition = currentCondition(job.status, storedCondition);
  const lost = chunks.filter((c) => c.workerLostAt !== null).length;
  return {
    ...shown,
    stopReason,
    kindView: kindView(definition),
    mappingVersion: job.mappingVersion.version,
    createdBy: job.createdBy?.email ?? null,
    totals,
    failedRows,
    replayOutcome,
    condition,
    conditionText: condition ? describeCondition(condition) : null,
    /** The total the percentage is of; `exact` false: the planner's estimate, and the page says so. */
    estimate: job.rowsEstimated != null ? { rows: job.rowsEstimated, exact: job.rowsEstimateExact } : null,
    chunks,
    chunkCounts: {
      total: chunks.length,
      done: chunks.filter((c) => c.status === 'done').length,
      // A unit on a worker that stopped responding is not running anywhere until it is handed over.
      running: chunks.filter((c) => c.status === 'running').length - lost,
      workerLost: lost,
    },
    // Over running time only: time spent paused says nothing about how fast the job goes.
    rate: {
      rowsPerSecond,
      runningSeconds: running,
      elapsedSeconds,
      etaSeconds: isFinal(job.status) ? null : etaSeconds(remaining, rowsPerSecond),
    },
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
      condition: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      rowsEstimated: true,
      rowsEstimateExact: true,
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
  // Only jobs that counted failures have error rows to look at.
  const failedRows = await failedRowsOf(jobs.filter((j) => jobKindOf(j.kind).ownsErrorRows && (byJob.get(j.id)?.rowsFailed ?? 0) > 0).map((j) => j.id));
  return jobs.map(({ condition: storedCondition, ...j }) => {
    const definition = jobKindOf(j.kind);
    const failed = failedRows.get(j.id);
    const condition = currentCondition(j.status, storedCondition);
    return {
      ...j,
      kindView: kindView(definition),
      mappingVersion: j.mappingVersion.version,
      read: byJob.get(j.id)?.rowsRead ?? 0,
      written: byJob.get(j.id)?.rowsWritten ?? 0,
      failed: failed ? failed.failed : (byJob.get(j.id)?.rowsFailed ?? 0),
      failedRows: failed ? { failed: failed.failed, open: failed.open, resolved: failed.resolved } : null,
      condition: condition ? { state: condition.state, text: describeCondition(condition) } : null,
    };
  });
}
export type JobListItem = Awaited<ReturnType<typeof listJobs>>[number];
