import { sweepOnce } from '@/lib/jobs/sweep-lost-work';

/** Runs the sweeper (lib/jobs/sweep-lost-work.ts) every `everyMs`, never two rounds at once in this process. */
export function startSweeper(workerId: string, everyMs: number, staleMs: number): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const result = await sweepOnce(staleMs);
      if (result.requeuedChunks > 0) console.log(`[worker ${workerId}] sweeper re-enqueued ${result.requeuedChunks} unit(s)`);
    } catch (error) {
      console.error(`[worker ${workerId}] sweeper: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  }, everyMs);
  return () => clearInterval(timer);
}
