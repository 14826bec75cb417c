import { prisma } from '../db/client';
import type { Sync } from '../db/generated/client';
import { notFound } from '../errors';
import { getJobProgress } from '../jobs/job-progress';
import { allowedActions, isFinal, type JobStatus } from '../jobs/job-state';
import { syncCaptureHealthSchema, syncCheckpointSchema, type SyncCaptureHealth, type SyncSettings } from '../schemas/sync-settings';
import type { SyncAction, SyncDelayPoint, SyncListItem, SyncState, SyncView } from '../schemas/sync-view';
import { mergeHistograms, percentile } from './delay-histogram';
import { nextSyncRun } from './schedule-sync';

/** The last applied change's delay counts as "now" for this long; after it, a quiet sync is caught up. */
export const FRESH_APPLY_MS = 60_000;
/** The chart's buckets: 60 over the last hour. */
export const CHART_BUCKET_MINUTES = 1;
const CHART_WINDOW_MINUTES = 60;

interface Gauges {
  pendingSince: Date | null;
  lastCommitAt: Date | null;
  lastAppliedAt: Date | null;
}

/**
 * D now, in ms: how far the target is behind the source.
 * - Something is read and not yet applied (`pendingSince`, the source commit time of the
 *   oldest such change): D is that change's age, now − pendingSince, and grows until it lands.
 * - Otherwise, when the last change was applied within FRESH_APPLY_MS: that change's own
 *   delay, lastAppliedAt − lastCommitAt (what a change just took to arrive).
 * - Otherwise 0: nothing known is waiting, the target has everything the sync has seen.
 *   (A cursor sync sees changes only when it runs: a change made after the last run shows
 *   up in `oldestPendingMs` once a run has found it.)
 */
export function liveDelay(g: Gauges, now: number): { liveMs: number; oldestPendingMs: number | null } {
  if (g.pendingSince) {
    const age = Math.max(0, now - g.pendingSince.getTime());
    return { liveMs: age, oldestPendingMs: age };
  }
  if (g.lastAppliedAt && g.lastCommitAt && now - g.lastAppliedAt.getTime() <= FRESH_APPLY_MS) {
    return { liveMs: Math.max(0, g.lastAppliedAt.getTime() - g.lastCommitAt.getTime()), oldestPendingMs: null };
  }
  return { liveMs: 0, oldestPendingMs: null };
}

/**
 * The sync's state from its job: none → never started; while the job runs, its checkpoint
 * says whether the initial load is still going; a failed or running log sync whose capture
 * health (checked since this job started) says the slot or position is gone is `lost`.
 */
export function syncStateOf(job: { status: JobStatus; phase: 'initial_load' | 'streaming' | null } | null, captureLost: boolean): SyncState {
  if (!job) return 'never_started';
  if ((job.status === 'failed' || job.status === 'running') && captureLost) return 'lost';
  switch (job.status) {
    case 'queued':
    case 'planning':
    case 'running':
      return job.phase === 'initial_load' ? 'initial_load' : 'running';
    case 'pausing':
      return 'pausing';
    case 'paused':
      return 'paused';
    case 'cancelling':
      return 'stopping';
    case 'failed':
      return 'failed';
    default:
      return 'stopped';
  }
}

/** The admin's choices: start when nothing runs (again after a stop: a new snapshot), else the job's controls. */
export function syncActionsOf(status: JobStatus | null): SyncAction[] {
  if (status === null || isFinal(status)) return ['start'];
  return allowedActions(status).map((a) => (a === 'cancel' ? 'stop' : a));
}

/** Per-bucket counts of histogram cells (`bucket` is the 1-based delay bucket) → p50/p95 per bucket and over all. */
export function delayChart(cells: { at: number; bucket: number; n: number }[], window: { from: number; minutes: number; bucketMinutes: number }) {
  const step = window.bucketMinutes * 60_000;
  const byBucket = new Map<number, number[]>();
  for (const cell of cells) {
    const histogram = byBucket.get(cell.at) ?? [];
    histogram[cell.bucket - 1] = (histogram[cell.bucket - 1] ?? 0) + cell.n;
    byBucket.set(cell.at, histogram);
  }
  const dense = (h: number[]) => Array.from(h, (n) => n ?? 0);
  const points: SyncDelayPoint[] = [];
  const first = Math.floor(window.from / step) * step;
  for (let at = first; at < window.from + window.minutes * 60_000; at += step) {
    const h = dense(byBucket.get(at) ?? []);
    points.push({ at: new Date(at).toISOString(), p50Ms: percentile(h, 0.5), p95Ms: percentile(h, 0.95), changes: h.reduce((a, b) => a + b, 0) });
  }
  const hour = mergeHistograms([...byBucket.values()].map(dense));
  return { points, hourP50Ms: percentile(hour, 0.5), hourP95Ms: percentile(hour, 0.95) };
}

export const settingsOf = (s: Sync): SyncSettings => ({
  mode: s.mode,
  cursorColumn: s.cursorColumn,
  lagMs: s.lagMs,
  everySeconds: s.everySeconds,
  cron: s.cron,
  timeZone: s.timeZone,
  deletePolicy: s.deletePolicy,
  markColumn: s.markColumn,
  softDeleteColumn: s.softDeleteColumn,
  reconcileMinutes: s.reconcileMinutes,
  initialLoad: s.initialLoad,
  verifyMinutes: s.verifyMinutes,
});

/** Health recorded for an earlier job (before a new start) says nothing about this one. */
function currentHealth(stored: unknown, jobStartedAt: Date | null): SyncCaptureHealth | null {
  const parsed = syncCaptureHealthSchema.safeParse(stored);
  if (!parsed.success) return null;
  if (jobStartedAt && new Date(parsed.data.checkedAt).getTime() < jobStartedAt.getTime()) return null;
  return parsed.data;
}

const syncInclude = {
  mapping: { select: { id: true, name: true, sourceTable: true, targetTable: true, latestVersion: true, archivedAt: true } },
  job: { select: { id: true, status: true, stopReason: true, startedAt: true, mappingVersion: { select: { version: true } }, chunks: { select: { cursor: true }, take: 1 } } },
} as const;

type LoadedSync = NonNullable<Awaited<ReturnType<typeof loadSync>>>;
const loadSync = (where: { id: string }) => prisma().sync.findUnique({ where, include: syncInclude });

const mappingOf = (m: LoadedSync['mapping']): SyncView['mapping'] => ({
  id: m.id,
  name: m.name,
  sourceTable: m.sourceTable,
  targetTable: m.targetTable,
  latestVersion: m.latestVersion,
  archived: m.archivedAt !== null,
});

/** The parts the list and the page share: state, capture health, live delay. */
function basicsOf(sync: LoadedSync, now: number) {
  const job = sync.job;
  const checkpoint = job ? syncCheckpointSchema.safeParse(job.chunks[0]?.cursor) : null;
  const health = job ? currentHealth(sync.captureHealth, job.startedAt) : null;
  const lost = health?.state === 'lost' || health?.state === 'missing';
  const state = syncStateOf(job ? { status: job.status, phase: checkpoint?.success ? checkpoint.data.phase : null } : null, lost);
  const streaming = state !== 'never_started' && state !== 'initial_load';
  const delay = liveDelay(sync, now);
  return {
    state,
    health,
    checkpoint: checkpoint?.success ? checkpoint.data : null,
    delay: streaming ? delay : { liveMs: null, oldestPendingMs: null },
  };
}

/** Open error rows per job: the failed keys the sync still retries. */
async function openErrorRowsOf(jobIds: string[]): Promise<Map<string, number>> {
  if (jobIds.length === 0) return new Map();
  const groups = await prisma().errorRow.groupBy({ by: ['jobId'], where: { jobId: { in: jobIds }, resolvedAt: null }, _count: { _all: true } });
  return new Map(groups.map((g) => [g.jobId, g._count._all]));
}

async function lastRunOf(sync: Sync): Promise<SyncView['lastRun']> {
  if (sync.mode === 'cursor') {
    if (!sync.lastRunAt) return null;
    const sum = await prisma().syncBatch.aggregate({ where: { syncId: sync.id, at: { gte: sync.lastRunAt } }, _sum: { changes: true } });
    return { at: sync.lastRunAt.toISOString(), changes: sum._sum.changes ?? 0 };
  }
  const last = await prisma().syncBatch.findFirst({ where: { syncId: sync.id }, orderBy: { at: 'desc' }, select: { at: true, changes: true } });
  return last ? { at: last.at.toISOString(), changes: last.changes } : null;
}

/** The delay histograms of the last hour, summed per chart bucket in the database: at most buckets × delay buckets rows come back. */
async function delayCells(syncId: string, from: Date) {
  const step = CHART_BUCKET_MINUTES * 60;
  const rows = await prisma().$queryRaw<{ at: bigint; bucket: number; n: bigint }[]>`
    SELECT (floor(extract(epoch FROM b.at) / ${step}::int) * ${step}::int * 1000)::bigint AS at, u.i::int AS bucket, sum(u.d)::bigint AS n
      FROM sync_batches b CROSS JOIN LATERAL unnest(b.delays) WITH ORDINALITY AS u(d, i)
     WHERE b.sync_id = ${syncId} AND b.at >= ${from} AND u.d > 0
     GROUP BY 1, 2`;
  return rows.map((r) => ({ at: Number(r.at), bucket: r.bucket, n: Number(r.n) }));
}

/** When the scheduler delivers next; unknown (null) rather than an error when Redis does not answer. */
async function nextRunOf(sync: Sync, running: boolean): Promise<string | null> {
  if (sync.mode !== 'cursor' || !running) return null;
  try {
    return (await nextSyncRun(sync.id))?.toISOString() ?? null;
  } catch (error) {
    console.warn(`[sync] next run of ${sync.id} unknown: ${(error as Error).message}`);
    return null;
  }
}

/** Everything the sync page shows, in one answer (polled about every second). */
export async function getSyncView(syncId: string): Promise<SyncView> {
  const sync = await loadSync({ id: syncId });
  if (!sync) throw notFound('Sync');
  const now = Date.now();
  const basics = basicsOf(sync, now);
  const job = sync.job;
  const loadJobId = basics.state === 'initial_load' && basics.checkpoint?.phase === 'initial_load' ? basics.checkpoint.loadJobId : null;
  const chartFrom = new Date(now - CHART_WINDOW_MINUTES * 60_000);
  const [load, lastRun, nextRunAt, lastMinute, cells, report, open] = await Promise.all([
    loadJobId ? getJobProgress(loadJobId).catch(() => null) : null,
    lastRunOf(sync),
    nextRunOf(sync, job?.status === 'running'),
    prisma().syncBatch.aggregate({ where: { syncId, at: { gt: new Date(now - 60_000) } }, _sum: { changes: true } }),
    delayCells(syncId, chartFrom),
    prisma().consistencyReport.findFirst({
      where: { mappingId: sync.mappingId, finishedAt: { not: null } },
      orderBy: { finishedAt: 'desc' },
      select: { id: true, jobId: true, score: true, finishedAt: true },
    }),
    openErrorRowsOf(job ? [job.id] : []),
  ]);
  const chart = delayChart(cells, { from: chartFrom.getTime(), minutes: CHART_WINDOW_MINUTES, bucketMinutes: CHART_BUCKET_MINUTES });
  const changesLastMinute = lastMinute._sum.changes ?? 0;
  return {
    id: sync.id,
    mapping: mappingOf(sync.mapping),
    settings: settingsOf(sync),
    state: basics.state,
    jobId: job?.id ?? null,
    jobStatus: job?.status ?? null,
    stopReason: job?.stopReason ?? null,
    actions: syncActionsOf(job?.status ?? null),
    editable: !job || isFinal(job.status),
    initialLoad: load
      ? { jobId: load.id, status: load.status, percent: load.percent, rowsRead: load.totals.read, rowsEstimated: load.estimate?.rows ?? null }
      : null,
    lastRun,
    nextRunAt,
    changesPerSecond: changesLastMinute / 60,
    changesLastMinute,
    delay: {
      ...basics.delay,
      lastCommitAt: sync.lastCommitAt?.toISOString() ?? null,
      lastAppliedAt: sync.lastAppliedAt?.toISOString() ?? null,
      bucketMinutes: CHART_BUCKET_MINUTES,
      ...chart,
    },
    openErrorRows: job ? (open.get(job.id) ?? 0) : 0,
    consistency: report ? { reportId: report.id, jobId: report.jobId, score: report.score, finishedAt: (report.finishedAt as Date).toISOString() } : null,
    verifyMinutes: sync.verifyMinutes,
    lastVerifyAt: sync.lastVerifyAt?.toISOString() ?? null,
    captureHealth: basics.health,
    version: { running: job?.mappingVersion.version ?? null, latest: sync.mapping.latestVersion },
    createdAt: sync.createdAt.toISOString(),
  };
}

/** The syncs list (newest first), or one mapping's sync. */
export async function listSyncs(filter: { mappingId?: string } = {}): Promise<SyncListItem[]> {
  const syncs = await prisma().sync.findMany({ where: { mappingId: filter.mappingId }, include: syncInclude, orderBy: { createdAt: 'desc' }, take: 200 });
  const now = Date.now();
  const open = await openErrorRowsOf(syncs.flatMap((s) => (s.jobId ? [s.jobId] : [])));
  return Promise.all(
    syncs.map(async (sync) => {
      const basics = basicsOf(sync, now);
      return {
        id: sync.id,
        mapping: mappingOf(sync.mapping),
        settings: settingsOf(sync),
        state: basics.state,
        jobId: sync.jobId,
        lastRun: await lastRunOf(sync),
        openErrorRows: sync.jobId ? (open.get(sync.jobId) ?? 0) : 0,
        delayMs: basics.delay.liveMs,
      };
    }),
  );
}
