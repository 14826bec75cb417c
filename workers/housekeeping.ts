import { deleteStaleSessions } from '@/lib/auth/sessions';
import { pruneSyncBatches } from '@/lib/sync/prune-sync-batches';

/**
 * Tidies tables that only grow, every `everyMs` (default 10 minutes): expired and idle
 * sessions (the web app already refuses them; abandoned sign-ins would pile up) and sync
 * batches past their retention (a busy sync stores thousands a minute; the sync page reads
 * the last hour). Every worker runs it: deleting what is already gone is harmless.
 */
export function startHousekeeping(workerId: string, everyMs = Number(process.env.FERRY_HOUSEKEEPING_MS ?? 10 * 60_000)): () => void {
  let running = false;
  const tasks: [string, () => Promise<number>, string][] = [
    ['session cleanup', deleteStaleSessions, 'expired or idle session(s)'],
    ['sync batch pruning', () => pruneSyncBatches(), 'sync batch record(s) past retention'],
  ];
  const sweep = async () => {
    if (running) return;
    running = true;
    for (const [name, task, what] of tasks) {
      try {
        const removed = await task();
        if (removed > 0) console.log(`[worker ${workerId}] removed ${removed} ${what}`);
      } catch (error) {
        console.error(`[worker ${workerId}] ${name}: ${(error as Error).message}`);
      }
    }
    running = false;
  };
  void sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
