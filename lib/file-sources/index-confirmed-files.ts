import pg from 'pg';
import { hasCsvKeyIndex, LINE_COLUMN, loadCsvKeyIndex } from '../connectors/csv/csv-key-index';
import { prisma } from '../db/client';
import { env } from '../env';
import { csvSourceFileColumns, csvSourceFileOf } from '../saved-connections/resolve-connection';

/** First key of the advisory lock a worker holds while it indexes a file (the second is the file's hash). */
const INDEX_LOCK_CLASS = 7212;

export interface FileIndexingMemory {
  /** Files (id and fingerprint) that could not be indexed: left to the job that reads them, which reports why. */
  failed: Set<string>;
}

/**
 * Builds the line index (`_line`, what every file source table is read and counted by) of
 * confirmed files that have none yet, newest first, so that the first migration of a new
 * export starts copying at once instead of reading the whole file first: about 10 s per
 * million lines here, minutes for a multi-gigabyte file, while the analyst is still
 * mapping. Workers call it every few seconds; one worker indexes a given file (a session
 * advisory lock on a connection of its own, held for the build), and within a worker a
 * job asking for the same index meanwhile waits for this build (loadCsvKeyIndex). A
 * file that is gone, changed or unreadable is not tried again by this worker: the job
 * that reads it says why. Returns how many files it indexed.
 */
export async function indexConfirmedFiles(memory: FileIndexingMemory, log: (line: string) => void): Promise<number> {
  const rows = await prisma().sourceFile.findMany({ where: { status: 'ready' }, select: { ...csvSourceFileColumns, confirmedAt: true }, orderBy: { confirmedAt: 'desc' } });
  let indexed = 0;
  for (const row of rows) {
    const mark = `${row.id}:${row.fingerprint ?? ''}`;
    if (memory.failed.has(mark)) continue;
    let lock: pg.Client | null = null;
    try {
      const file = csvSourceFileOf(row);
      if (await hasCsvKeyIndex(file, LINE_COLUMN)) continue;
      lock = new pg.Client({ connectionString: env().DATABASE_URL });
      await lock.connect();
      const { rows: got } = await lock.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS locked', [INDEX_LOCK_CLASS, row.id]);
      // Another worker is at it; the next round finds its index.
      if (!got[0].locked) continue;
      if (await hasCsvKeyIndex(file, LINE_COLUMN)) continue;
      const started = performance.now();
      const index = await loadCsvKeyIndex(file, LINE_COLUMN);
      indexed++;
      log(`indexed table "${file.table}" (version ${file.version}): ${index.records} records, ${index.parts.length} parts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      memory.failed.add(mark);
      log(`could not index the file of table "${row.tableName}" (version ${row.version}) ahead of its jobs: ${(error as Error).message}`);
    } finally {
      // Closing the session releases its advisory lock.
      await lock?.end().catch(() => undefined);
    }
  }
  return indexed;
}
