import type { KeyTuple } from '../connectors/connector';
import { metadataPool } from './metadata-pool';
import type { JobStatus } from '../jobs/job-state';
import type { ErrorRowDraft } from './error-row-draft';
import { keyText } from './key-text';
import { LeaseLostError } from '../jobs/units/unit-lease';

export interface BatchOutcome {
  /** Key of the last source row of the batch: the next read starts after it. */
  cursor: KeyTuple;
  read: number;
  written: number;
  duplicates: number;
  errors: ErrorRowDraft[];
}

/** JSON text for PostgreSQL: bigint and binary made portable, nothing lost silently. */
const jsonText = (value: unknown) => (isPlainFlat(value) ? JSON.stringify(value) : JSON.stringify(value, portable));

const portable = (_key: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v);

/**
 * A key tuple or source row of only text, numbers, booleans, null and dates (the usual
 * legacy row): the replacer would change nothing, and without one JSON.stringify takes
 * its fast path — this runs for every error row.
 */
function isPlainFlat(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const values = Array.isArray(value) ? value : Object.values(value);
  for (const v of values) {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) continue;
    return false;
  }
  return true;
}

/**
 * Records a batch's error rows and moves the chunk's cursor and counters, if this attempt
 * still holds the chunk's lease, and reads the job's status for the pause/cancel check —
 * all in one statement, so one round trip and atomic: the error rows are inserted only
 * when the lease-guarded UPDATE moved the chunk (they join its RETURNING). Sent through
 * the plain metadata pool (see metadata-pool.ts), not Prisma.
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
  const { rows } = await metadataPool().query<{ moved: number; status: JobStatus | null }>(CHECKPOINT_SQL, [
    chunkId, leaseId, jsonText(outcome.cursor), outcome.read, outcome.written, e.length, outcome.duplicates,
    jobId, mappingVersionId,
    errorRowsJson(e),
  ]);
  // Another attempt owns the chunk now: nothing was stored, this batch is counted by it alone.
  if (rows[0].moved !== 1) throw new LeaseLostError('chunk', chunkId);
  return rows[0].status;
}

/**
 * The batch's error rows as one JSON array of records. pg would escape every element of
 * seven text arrays in JS (a measurable share of a worker's CPU with thousands of error
 * rows per chunk); JSON.stringify is native, and key and row are embedded as JSON already.
 */
function errorRowsJson(errors: ErrorRowDraft[]): string {
  let text = '[';
  for (let i = 0; i < errors.length; i++) {
    const x = errors[i];
    if (i > 0) text += ',';
    text +=
      `{"k":${jsonText(x.sourceKey)},"kt":${JSON.stringify(keyText(x.sourceKey))},"r":${jsonText(x.sourceRow)},` +
      `"s":${JSON.stringify(x.stage)},"f":${JSON.stringify(x.field ?? null)},"c":${JSON.stringify(x.code)},"m":${JSON.stringify(x.message.slice(0, 2000))}` +
      (x.parentErrorRowId ? `,"p":${x.parentErrorRowId}}` : '}');
  }
  return text + ']';
}

const CHECKPOINT_SQL = `
  WITH moved AS (
    UPDATE chunks
       SET cursor = $3::jsonb, rows_read = rows_read + $4, rows_written = rows_written + $5,
           rows_failed = rows_failed + $6, rows_duplicate = rows_duplicate + $7, heartbeat_at = now()
     WHERE id = $1 AND lease_id = $2
    RETURNING id
  ), stored AS (
    INSERT INTO error_rows (job_id, chunk_id, mapping_version_id, source_key, source_key_text, source_row, stage, field, code, message, parent_error_row_id)
    SELECT $8, moved.id, $9, t.k, t.kt, t.r, t.s::"ErrorStage", t.f, t.c, t.m, t.p
      FROM moved,
           json_to_recordset($10::json) AS t(k json, kt text, r json, s text, f text, c text, m text, p int)
    ON CONFLICT (job_id, source_key_text) DO NOTHING
  )
  SELECT (SELECT count(*) FROM moved)::int AS moved, (SELECT status::text FROM jobs WHERE id = $8) AS status`;
