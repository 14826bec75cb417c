import type { BadgeTone } from '@/components/ui/badge';
import type { SyncSettings } from '@/lib/schemas/sync-settings';
import type { SyncState } from '@/lib/schemas/sync-view';

export const stateLabels: Record<SyncState, string> = {
  never_started: 'never started',
  initial_load: 'initial load',
  running: 'running',
  pausing: 'pausing',
  paused: 'paused',
  stopping: 'stopping',
  stopped: 'stopped',
  failed: 'failed',
  lost: 'log position lost',
};

export const stateTones: Record<SyncState, BadgeTone> = {
  never_started: 'neutral',
  initial_load: 'info',
  running: 'good',
  pausing: 'warn',
  paused: 'warn',
  stopping: 'warn',
  stopped: 'neutral',
  failed: 'bad',
  lost: 'bad',
};

/** A delay as people read it: 850 ms, 4.2 s, 3 min 10 s, 2 h 5 min. */
export function formatDelay(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatRate(perSecond: number): string {
  if (perSecond === 0) return '0';
  if (perSecond < 0.1) return perSecond.toFixed(3);
  if (perSecond < 10) return perSecond.toFixed(1);
  return Math.round(perSecond).toLocaleString('en-US');
}

/** "every 30 s", "cron 0 * * * * (Europe/Berlin)", "continuous (change log)". */
export function describeSchedule(s: Pick<SyncSettings, 'mode' | 'everySeconds' | 'cron' | 'timeZone'>): string {
  if (s.mode === 'log') return 'continuous (change log)';
  if (s.cron) return `cron ${s.cron} (${s.timeZone})`;
  return `every ${s.everySeconds ?? 60} s`;
}

/** How long ago, in words, from `now`. */
export function ago(iso: string | null, now: number): string {
  if (!iso) return '—';
  const ms = now - new Date(iso).getTime();
  if (ms < 0) return `in ${formatDelay(-ms)}`;
  return `${formatDelay(ms)} ago`;
}
