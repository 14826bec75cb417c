/**
 * Timing of crash recovery. A chunk whose worker died is re-delivered after `lockMs`
 * (BullMQ's lock) and may be taken over once its heartbeat is that old; the sweeper
 * looks for chunks whose queue entry vanished every `sweepMs`.
 */
export const workerSettings = {
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 2),
  lockMs: Number(process.env.WORKER_LOCK_MS ?? 30_000),
  sweepMs: Number(process.env.WORKER_SWEEP_MS ?? 15_000),
};

let shuttingDown = false;

/** Set on SIGTERM/SIGINT: processors hand their chunk back at the next batch boundary. */
export const beginShutdown = () => {
  shuttingDown = true;
};
export const isShuttingDown = () => shuttingDown;
