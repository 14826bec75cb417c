/**
 * Timing of crash recovery. The sweeper runs every `sweepMs`: it hands the running units
 * of a worker silent for WORKER_DEAD_AFTER_MS (lib/jobs/worker-liveness.ts) to other
 * workers, and re-enqueues units whose queue entry vanished. `lockMs` is BullMQ's lock: the
 * slower fallback, a unit whose own heartbeat is that old may be claimed by a re-delivery.
 */
export const workerSettings = {
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 2),
  lockMs: Number(process.env.WORKER_LOCK_MS ?? 30_000),
  sweepMs: Number(process.env.WORKER_SWEEP_MS ?? 5_000),
};

let shuttingDown = false;

/** Set on SIGTERM/SIGINT: processors hand their chunk back at the next batch boundary. */
export const beginShutdown = () => {
  shuttingDown = true;
};
export const isShuttingDown = () => shuttingDown;
