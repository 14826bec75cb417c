import type { ConnectionTestResult } from './connector';
import { type ConnectionFailure, ConnectionTimeoutError } from './classify-connection-error';

export const DEFAULT_TEST_TIMEOUT_MS = 5000;

/**
 * Runs a connection attempt against a deadline. Drivers get their own connect timeouts
 * too, but a stalled TLS handshake or a server that accepts and never speaks can outlive
 * them, so the answer comes from whichever finishes first; `abort` then tears the attempt
 * down so no socket is left behind.
 */
export async function runConnectionTest(
  timeoutMs: number,
  attempt: (deadline: number) => Promise<string>,
  abort: () => void,
  classify: (err: unknown) => ConnectionFailure,
): Promise<ConnectionTestResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadlinePassed = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConnectionTimeoutError(timeoutMs)), timeoutMs);
  });
  const work = attempt(started + timeoutMs);
  // The loser of the race must not surface as an unhandled rejection later.
  work.catch(() => undefined);
  try {
    const serverVersion = await Promise.race([work, deadlinePassed]);
    return { ok: true, serverVersion, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    abort();
    const failure = classify(err);
    return { ok: false, code: failure.code, message: failure.message };
  } finally {
    clearTimeout(timer);
  }
}

/** Milliseconds left until `deadline`, at least 1 (drivers treat 0 as "no timeout"). */
export function remainingMs(deadline: number): number {
  return Math.max(1, Math.round(deadline - performance.now()));
}
