import type { SyncCaptureHealth, SyncSettings } from './sync-settings';

/**
 * What a sync is doing, as its page says it. Derived from its current job's status and
 * checkpoint (lib/sync/sync-view.ts): `lost` is a failed log sync whose slot or binlog
 * position is gone (the way out is a new start, which takes a new snapshot).
 */
export const syncStates = ['never_started', 'initial_load', 'running', 'pausing', 'paused', 'stopping', 'stopped', 'failed', 'lost'] as const;
export type SyncState = (typeof syncStates)[number];

export type SyncAction = 'start' | 'pause' | 'resume' | 'stop';

/** One bucket of the delay chart: percentiles of D over the changes applied in it. */
export interface SyncDelayPoint {
  /** Start of the bucket (ISO). */
  at: string;
  p50Ms: number | null;
  p95Ms: number | null;
  changes: number;
}

/** A sync as its page and the list show it; dates are ISO strings. */
export interface SyncView {
  id: string;
  mapping: { id: string; name: string; sourceTable: string; targetTable: string; latestVersion: number; archived: boolean };
  settings: SyncSettings;
  state: SyncState;
  jobId: string | null;
  jobStatus: string | null;
  /** Why the job stopped (failed, lost) with the way out, as the job recorded it. */
  stopReason: string | null;
  /** What the admin can do now; the server checks again. */
  actions: SyncAction[];
  /** Settings change only while the sync does not run. */
  editable: boolean;
  /** The full load started with the sync, while it runs. */
  initialLoad: { jobId: string; status: string; percent: number; rowsRead: number; rowsEstimated: number | null } | null;
  /** Cursor mode: the last run; log mode: the last applied batch (the reader runs continuously). */
  lastRun: { at: string; changes: number } | null;
  /** Cursor mode: the scheduler's next delivery; null in log mode, when not running, or unknown. */
  nextRunAt: string | null;
  /** S: changes applied per second over the last minute. */
  changesPerSecond: number;
  changesLastMinute: number;
  delay: {
    /** D now, in ms (see liveDelay); null before the sync has started streaming. */
    liveMs: number | null;
    /** Age of the oldest change read (or known) and not yet applied; null when caught up. */
    oldestPendingMs: number | null;
    lastCommitAt: string | null;
    lastAppliedAt: string | null;
    /** p50/p95 of D over the last hour, per bucket and overall. */
    bucketMinutes: number;
    points: SyncDelayPoint[];
    hourP50Ms: number | null;
    hourP95Ms: number | null;
  };
  openErrorRows: number;
  /** The mapping's latest finished verification (C) and how often the sync asks for one. */
  consistency: { reportId: string; jobId: string; score: number | null; finishedAt: string } | null;
  verifyMinutes: number;
  lastVerifyAt: string | null;
  captureHealth: SyncCaptureHealth | null;
  /** The mapping version the sync's job runs, and the mapping's latest (a newer one needs a stop and a start). */
  version: { running: number | null; latest: number };
  createdAt: string;
}

/** A row of the syncs list. */
export type SyncListItem = Pick<SyncView, 'id' | 'mapping' | 'settings' | 'state' | 'jobId' | 'lastRun' | 'openErrorRows'> & {
  delayMs: number | null;
};
