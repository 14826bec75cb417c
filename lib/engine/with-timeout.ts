/**
 * A database call that never answers (a connection cut in a way the driver does not
 * notice, a COPY stream left hanging) must not hold its chunk forever: past the limit it
 * fails like a lost connection, the chunk is retried from its checkpoint, and the
 * abandoned call is left to die with the connector that made it.
 */
export class StepTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(step: string, ms: number) {
    super(`${step} did not finish within ${Math.round(ms / 1000)} s; treating the connection as lost`);
    this.name = 'StepTimeoutError';
  }
}

export async function withTimeout<T>(work: Promise<T>, ms: number, step: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeoutError(step, ms)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
  }
}

/** Longest a single batch write may take (BATCH_TIMEOUT_MS, default 2 minutes). */
export const batchTimeoutMs = () => Number(process.env.BATCH_TIMEOUT_MS ?? 120_000);
