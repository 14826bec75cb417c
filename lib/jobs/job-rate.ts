/**
 * Rates and ETAs of a job, from its running time only: a job paused overnight and resumed
 * has not become slow. Pure, so the server's answer and the page's live figure agree.
 */

/** A job's running-time columns (kept by a trigger on status changes), dates as objects or ISO text. */
export interface RunningClock {
  activeSeconds: number;
  activeSince: Date | string | null;
  startedAt: Date | string | null;
  finishedAt: Date | string | null;
}

const ms = (value: Date | string) => (typeof value === 'string' ? Date.parse(value) : value.getTime());

/**
 * Seconds spent running (running, pausing or cancelling) up to `now`. A job with no running
 * time recorded at all (inserted as running, or finished before the trigger existed) falls
 * back to its wall-clock time, which is then the best there is.
 */
export function runningSeconds(clock: RunningClock, now = Date.now()): number {
  if (clock.activeSeconds > 0 || clock.activeSince) {
    return clock.activeSeconds + (clock.activeSince ? Math.max(0, (now - ms(clock.activeSince)) / 1000) : 0);
  }
  if (!clock.startedAt) return 0;
  return Math.max(0, ((clock.finishedAt ? ms(clock.finishedAt) : now) - ms(clock.startedAt)) / 1000);
}

/** Rows per second of running time (0 before any). */
export const rowsPerRunningSecond = (rows: number, seconds: number) => (seconds > 0 ? rows / seconds : 0);

/**
 * Seconds left at `recentRate` (the last few seconds, when the page has sampled them and
 * rows moved) or else at the job's average over running time; null when unknown.
 */
export function etaSeconds(remaining: number | null, averageRate: number, recentRate?: number | null): number | null {
  if (remaining === null) return null;
  const rate = recentRate != null && recentRate > 0 ? recentRate : averageRate;
  return rate > 0 ? remaining / rate : null;
}
