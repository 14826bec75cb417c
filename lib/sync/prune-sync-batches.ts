import { metadataPool } from '../engine/metadata-pool';

/** How long batch records are kept: the sync page reads the last hour; a day leaves room to look back. */
export const SYNC_BATCH_RETENTION_HOURS = Number(process.env.FERRY_SYNC_BATCH_RETENTION_HOURS ?? 24);

/**
 * Deletes sync batch records older than the retention, 20,000 at a time so no single
 * statement holds locks for long (a sync at 1,000 changes/s writes ~20,000 a minute).
 * Returns how many went.
 */
export async function pruneSyncBatches(retentionHours = SYNC_BATCH_RETENTION_HOURS): Promise<number> {
  let removed = 0;
  // Per sync, so the (sync_id, at) index finds the old records without reading the rest.
  const { rows: syncs } = await metadataPool().query<{ id: string }>('SELECT id FROM syncs');
  for (const { id } of syncs) {
    for (;;) {
      const { rowCount } = await metadataPool().query(
        `DELETE FROM sync_batches WHERE id IN (
           SELECT id FROM sync_batches WHERE sync_id = $1 AND at < now() - make_interval(hours => $2) LIMIT 20000)`,
        [id, retentionHours],
      );
      removed += rowCount ?? 0;
      if ((rowCount ?? 0) < 20_000) break;
    }
  }
  return removed;
}
