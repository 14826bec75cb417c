import type { KeyTuple } from '../connectors/connector';
import { prisma } from '../db/client';
import type { JobStatus } from '../jobs/job-state';
import type { ErrorRowDraft } from './error-row-draft';
import { keyText } from './key-text';
import { LeaseLostError } from './chunk-lease';

export interface BatchOutcome {
  /** Key of the last source row of the batch: the next read starts after it. */
  cursor: KeyTuple;
  read: number;
  written: number;
  duplicates: number;
  errors: ErrorRowDraft[];
}

/** JSON text for PostgreSQL: bigint and binary made portable, nothing lost silently. */
const jsonText = (value: unknown) =>
  JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));

/**
 * Records a batch's error rows and moves the chunk's cursor and counters, if this attempt
 * still holds the chunk's lease, and reads the job's status for the pause/cancel check —
 * all in one statement, so one round trip and atomic: the error rows are inserted only
 * when the lease-guarded UPDATE moved the chunk (they join its RETURNING).
 *
 * Rows were already written to the target: if the process dies before this commits, the
 * batch is read and written again and counted once, here. Error rows go in as one array
 * insert (a batch of messy legacy data can have hundreds) and are unique per source key,
 * so a retried batch never records a row twice.
 */
export async function saveCheckpoint(
  jobId: string,
  chunkId: string,
  leaseId: string,
  mappingVersionId: string,
  outcome: BatchOutcome,
): Promise<JobStatus | null> {
  const e = outcome.errors;
  const [row] = await prisma().$queryRaw<{ moved: number; status: JobStatus | null }[]>`
    WITH moved AS (
      UPDATE chunks
         SET cursor = ${jsonText(outcome.cursor)}::jsonb,
             rows_read = rows_read + ${outcome.read}, rows_written = rows_written + ${outcome.written},
             rows_failed = rows_failed + ${e.length}, rows_duplicate = rows_duplicate + ${outcome.duplicates},
             heartbeat_at = now()
       WHERE id = ${chunkId} AND lease_id = ${leaseId}
      RETURNING id
    ), stored AS (
      INSERT INTO error_rows (job_id, chunk_id, mapping_version_id, source_key, source_key_text, source_row, stage, field, code, message)
      SELECT ${jobId}, moved.id, ${mappingVersionId}, k::jsonb, kt, r::jsonb, s::"ErrorStage", f, c, m
        FROM moved,
             unnest(${e.map((x) => jsonText(x.sourceKey))}::text[], ${e.map((x) => keyText(x.sourceKey))}::text[],
                    ${e.map((x) => jsonText(x.sourceRow))}::text[], ${e.map((x) => x.stage)}::text[],
                    ${e.map((x) => x.field)}::text[], ${e.map((x) => x.code)}::text[],
                    ${e.map((x) => x.message.slice(0, 2000))}::text[]) AS t(k, kt, r, s, f, c, m)
      ON CONFLICT (job_id, source_key_text) DO NOTHING
    )
    SELECT (SELECT count(*) FROM moved)::int AS moved, (SELECT status::text FROM jobs WHERE id = ${jobId}) AS status`;
  // Another attempt owns the chunk now: nothing was stored, this batch is counted by it alone.
  if (row.moved !== 1) throw new LeaseLostError(chunkId);
  return row.status;
}
