import pg from 'pg';
import { hasCsvKeyIndex, LINE_COLUMN, loadCsvKeyIndex } from '../connectors/csv/csv-key-index';
import { prisma } from '../db/client';
import { env } from '../env';
import type { CsvSourceFile } from '../schemas/connection-config';
import { csvSourceFileColumns, csvSourceFileOf } from '../saved-connections/resolve-connection';

/** First key of the advisory lock a worker holds while it indexes a file (the second is the file's hash). */
const INDEX_LOCK_CLASS = 7212;

export interface FileIndexingMemory {
  /**
   * Files (id and fingerprint) this worker need not look at again: indexed, or not
   * indexable (gone, changed, unreadable: left to the job that reads them, which says why).
   */
  settled: Set<string>;
}

/**
 * Builds the line index (`_line`, what every file source table is read and counted by) of
 * confirmed files that have none yet, newest first, so that the first migration of a new
 * export starts copying at once instead of reading the whole file first: about 10 s per
 * million lines here, minutes for a multi-gigabyte file, while the analyst is still
 * mapping. Workers call it every few seconds; one worker indexes a given file (a session
 * advisory lock on a connection of its own, held for the build), and within a worker a
 * job asking for the same index meanwhile waits for this build (loadCsvKeyIndex). A file
 * indexed, or gone, changed or unreadable (the job that reads it says why), is not looked
 * at again by this worker: a round over settled files is one small query. Returns how
 * many files it indexed.
 */
export async function indexConfirmedFiles(memory: FileIndexingMemory, log: (line: string) => void): Promise<number> {
  const markOf = (row: { id: string; fingerprint: string | null }) => `${row.id}:${row.fingerprint ?? ''}`;
  const ready = await prisma().sourceFile.findMany({ where: { status: 'ready' }, select: { id: true, fingerprint: true }, orderBy: { confirmedAt: 'desc' } });
  const open = ready.filter((row) => !memory.settled.has(markOf(row))).map((row) => row.id);
  if (open.length === 0) return 0;
  const rows = await prisma().sourceFile.findMany({ where: { id: { in: open }, status: 'ready' }, select: { ...csvSourceFileColumns, confirmedAt: true }, orderBy: { confirmedAt: 'desc' } });
  let indexed = 0;
  for (const row of rows) {
    const mark = markOf(row);
    const settle = (error?: unknown) => {
      memory.settled.add(mark);
      if (error) log(`could not index the file of table "${row.tableName}" (version ${row.version}) ahead of its jobs: ${(error as Error).message}`);
    };
    let file: CsvSourceFile;
    try {
      file = csvSourceFileOf(row);
      if (await hasCsvKeyIndex(file, LINE_COLUMN)) {
        settle();
        continue;
      }
    } catch (error) {
      settle(error);
      continue;
    }
    // A database that does not answer here fails the round (said once), and settles nothing.
    const lock = await lockFile(row.id);
    if (!lock) continue; // another worker is at it; the next round finds its index
    try {
      if (await hasCsvKeyIndex(file, LINE_COLUMN)) continue;
      const started = performance.now();
      const index = await loadCsvKeyIndex(file, LINE_COLUMN);
      settle();
      indexed++;
      log(`indexed table "${file.table}" (version ${file.version}): ${index.records} records, ${index.parts.length} parts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      settle(error);
    } finally {
      // Closing the session releases its advisory lock.
      await lock.end().catch(() => undefined);
    }
  }
  return indexed;
}

/** A connection of its own holding the file's indexing lock, or null when another worker holds it. */
async function lockFile(fileId: string): Promise<pg.Client | null> {
  const client = new pg.Client({ connectionString: env().DATABASE_URL });
  try {
    await client.connect();
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS locked', [INDEX_LOCK_CLASS, fileId]);
    if (rows[0].locked) return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  await client.end().catch(() => undefined);
  return null;
}
