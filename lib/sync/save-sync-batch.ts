import type { JobStatus } from '../jobs/job-state';
import { LeaseLostError } from '../jobs/units/unit-lease';
import type { ErrorRowDraft } from '../engine/error-row-draft';
import { keyText } from '../engine/key-text';
import { metadataPool } from '../engine/metadata-pool';
import type { SyncCheckpoint } from '../schemas/sync-settings';
import { bucketOf, emptyHistogram } from './delay-histogram';

export interface SyncBatchOutcome {
  checkpoint: SyncCheckpoint;
  /** Source rows read (after collapsing per key) and target rows upserted / deleted or marked. */
  read: number;
  upserts: number;
  deletes: number;
  errors: ErrorRowDraft[];
  /** Source key texts that landed: their open error rows are resolved. */
  landed: string[];
  /** Retried error rows: a failure again does not reopen a row an admin dismissed while the retry ran. */
  retry?: boolean;
  /** Source commit times (epoch ms) of the changes applied, for the delay D. */
  commitTimes: number[];
  applyMs: number;
  /**
   * Source commit time (epoch ms) of the oldest change known and not yet applied after this
   * batch, or null when the sync has caught up (the live D on the sync page).
   */
  pendingSince: number | null;
}

/**
 * Stores what a sync batch did, after the target committed it, in one transaction that
 * only the holder of the sync's lease can commit: the checkpoint (the position the next
 * read starts from), the counters, the failed keys as error rows (a key that fails again
 * is updated and reopened, never duplicated), the resolution of earlier failures that now
 * landed, the batch's delays, and the live gauges. Returns the job's status for the
 * pause/cancel check. A crash before it commits re-reads the batch: writes are idempotent.
 */
export async function saveSyncBatch(
  ids: { syncId: string; jobId: string; chunkId: string; leaseId: string; mappingVersionId: string },
  outcome: SyncBatchOutcome,
): Promise<JobStatus | null> {
  const client = await metadataPool().connect();
  try {
    await client.query('BEGIN');
    const moved = await client.query(
      `UPDATE chunks SET cursor = $3::jsonb, rows_read = rows_read + $4, rows_written = rows_written + $5, heartbeat_at = now()
        WHERE id = $1 AND lease_id = $2`,
      [ids.chunkId, ids.leaseId, JSON.stringify(outcome.checkpoint), outcome.read, outcome.upserts + outcome.deletes],
    );
    if (moved.rowCount !== 1) {
      await client.query('ROLLBACK');
      throw new LeaseLostError('chunk', ids.chunkId);
    }
    const now = Date.now();
    if (outcome.landed.length) {
      await client.query(
        // One index probe per key (LATERAL … LIMIT 1): `source_key_text = ANY(…)` may read
        // every error row of the sync per batch when statistics are stale.
        `UPDATE error_rows SET resolved_at = now(), resolved_by_job_id = $1
          WHERE id IN (SELECT e.id FROM unnest($2::text[]) AS u(kt)
                         CROSS JOIN LATERAL (SELECT x.id FROM error_rows x
                                              WHERE x.job_id = $1 AND x.source_key_text = u.kt AND x.resolved_at IS NULL LIMIT 1) e)`,
        [ids.jobId, outcome.landed],
      );
    }
    if (outcome.errors.length) {
      await client.query(
        `INSERT INTO error_rows (job_id, chunk_id, mapping_version_id, source_key, source_key_text, source_row, stage, field, code, message)
         SELECT $1, $2, $3, t.k, t.kt, t.r, t.s::"ErrorStage", t.f, t.c, t.m
           FROM json_to_recordset($4::json) AS t(k json, kt text, r json, s text, f text, c text, m text)
         ON CONFLICT (job_id, source_key_text) DO UPDATE
            SET source_row = excluded.source_row, stage = excluded.stage, field = excluded.field, code = excluded.code,
                message = excluded.message, mapping_version_id = excluded.mapping_version_id, created_at = now(),
                resolved_at = NULL, resolved_by_job_id = NULL, dismissed_at = NULL, dismissed_by_email = NULL
          WHERE error_rows.dismissed_at IS NULL OR NOT $5`,
        [ids.jobId, ids.chunkId, ids.mappingVersionId, errorRowsJson(outcome.errors), outcome.retry === true],
      );
    }
    if (outcome.errors.length || outcome.landed.length) {
      // Failed = keys still failing, not failures counted per attempt: a key retried on every run counts once.
      await client.query(`UPDATE chunks SET rows_failed = (SELECT count(*) FROM error_rows WHERE job_id = $2 AND resolved_at IS NULL) WHERE id = $1`, [ids.chunkId, ids.jobId]);
    }
    const changes = outcome.upserts + outcome.deletes + outcome.errors.length;
    let newestCommit: number | null = null;
    // Retries and reconciliation carry no commit times (they would distort D) but are changes all the same (S, per run).
    if (outcome.commitTimes.length || changes > 0) {
      const histogram = emptyHistogram();
      let oldest = now;
      for (const t of outcome.commitTimes) {
        histogram[bucketOf(now - t)] += 1;
        if (t < oldest) oldest = t;
        if (newestCommit === null || t > newestCommit) newestCommit = t;
      }
      await client.query(
        `INSERT INTO sync_batches (sync_id, job_id, changes, upserts, deletes, failed, apply_ms, max_delay_ms, delays)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::int[])`,
        [ids.syncId, ids.jobId, changes, outcome.upserts, outcome.deletes, outcome.errors.length, Math.round(outcome.applyMs), Math.max(0, Math.round(now - oldest)), histogram],
      );
    }
    await client.query(
      `UPDATE syncs SET last_commit_at = coalesce($2, last_commit_at), last_applied_at = CASE WHEN $2::timestamptz IS NULL THEN last_applied_at ELSE now() END,
              pending_since = $3, updated_at = now()
        WHERE id = $1`,
      [ids.syncId, newestCommit === null ? null : new Date(newestCommit), outcome.pendingSince === null ? null : new Date(outcome.pendingSince)],
    );
    const status = await client.query<{ status: JobStatus }>('SELECT status FROM jobs WHERE id = $1', [ids.jobId]);
    await client.query('COMMIT');
    return status.rows[0]?.status ?? null;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const portable = (_key: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v);

function errorRowsJson(errors: ErrorRowDraft[]): string {
  // One error row per key: the last failure of a key in the batch is the one kept.
  const byKey = new Map<string, ErrorRowDraft>();
  for (const e of errors) byKey.set(keyText(e.sourceKey), e);
  return JSON.stringify(
    [...byKey].map(([kt, x]) => ({ k: x.sourceKey, kt, r: x.sourceRow, s: x.stage, f: x.field ?? null, c: x.code, m: x.message.slice(0, 2000) })),
    portable,
  );
}
