import { deleteStaleSessions } from '@/lib/auth/sessions';

/**
 * Removes expired and idle sessions every `everyMs` (default 10 minutes). The web app
 * already refuses them; this keeps the table from growing with abandoned sign-ins. Every
 * worker runs it: a delete of what is already gone is harmless, and one worker is enough.
 */
export function startSessionCleanup(workerId: string, everyMs = Number(process.env.FERRY_SESSION_CLEANUP_MS ?? 10 * 60_000)): () => void {
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const removed = await deleteStaleSessions();
      if (removed > 0) console.log(`[worker ${workerId}] removed ${removed} expired or idle session(s)`);
    } catch (error) {
      console.error(`[worker ${workerId}] session cleanup: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  void sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
