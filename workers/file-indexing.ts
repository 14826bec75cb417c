import { indexConfirmedFiles, type FileIndexingMemory } from '@/lib/file-sources/index-confirmed-files';

/**
 * Indexes newly confirmed CSV files ahead of their jobs (lib/file-sources/index-confirmed-files.ts),
 * looking every `everyMs` (default 3 s; FERRY_FILE_INDEX_MS, 0 turns it off). A round runs
 * to its end before the next starts; a shutdown lets the current build finish or die with
 * the process: an index is written aside and renamed, never seen half written.
 */
export function startFileIndexing(workerId: string, everyMs = Number(process.env.FERRY_FILE_INDEX_MS ?? 3_000)): () => void {
  if (!(everyMs > 0)) return () => undefined;
  const memory: FileIndexingMemory = { settled: new Set() };
  let running = false;
  // A metadata database that is down fails every round alike: said once, not every 3 s.
  let lastFailure = '';
  const round = async () => {
    if (running) return;
    running = true;
    try {
      await indexConfirmedFiles(memory, (line) => console.log(`[worker ${workerId}] ${line}`));
      lastFailure = '';
    } catch (error) {
      const message = (error as Error).message;
      if (message !== lastFailure) console.error(`[worker ${workerId}] file indexing: ${message}`);
      lastFailure = message;
    } finally {
      running = false;
    }
  };
  void round();
  const timer = setInterval(round, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
