/**
 * Worker processes beat every 5 s (workers/heartbeat.ts). A worker silent for three beats
 * is taken for dead: the sweeper hands its running units to other workers, the job page
 * marks them "worker stopped responding", and health counts it out.
 */
export const WORKER_BEAT_MS = 5_000;
export const WORKER_DEAD_AFTER_MS = 15_000;

/** Heartbeats at or after this time are from live workers. */
export const liveWorkerCutoff = (now = Date.now()) => new Date(now - WORKER_DEAD_AFTER_MS);
