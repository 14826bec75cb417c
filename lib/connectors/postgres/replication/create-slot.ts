import type pg from 'pg';
import { assertCaptureName } from './capture-names';
import { type Lsn, formatLsn } from './lsn';
import { type CaptureSource, connectReplication } from './replication-client';
import { ReplicationError, classifyReplicationError } from './replication-error';

/**
 * A new slot and the snapshot of the database at the slot's consistent point: the rows a
 * transaction sees under `snapshotName` are exactly those committed before the first
 * change the slot streams, so "snapshot, then stream from consistentLsn" has no gap and no
 * overlap.
 *
 * The snapshot exists only while the connection that created the slot stays open and
 * idle: import it (importSnapshot) in every transaction that needs it, then call
 * release(). A transaction that imported it keeps it after release. Forgetting release()
 * holds a walsender connection (and the snapshot's xmin) until this process exits.
 */
export interface CreatedSlot {
  slotName: string;
  /** Stream from here: the first position after the snapshot. */
  consistentLsn: Lsn;
  snapshotName: string;
  release(): Promise<void>;
}

/**
 * CREATE_REPLICATION_SLOT … LOGICAL pgoutput EXPORT_SNAPSHOT (the spelling every version
 * from 10 accepts; 15 also has `(SNAPSHOT 'export')`). Create the publication first
 * (ensurePublication). The server waits for transactions running at this moment to end
 * before the slot is consistent, so a long open transaction on the source delays this.
 */
export async function createSlot(source: CaptureSource, slotName: string): Promise<CreatedSlot> {
  assertCaptureName(slotName);
  const client = await connectReplication(source);
  try {
    const { rows } = await client.query<{ slot_name: string; consistent_point: string; snapshot_name: string | null }>(
      `CREATE_REPLICATION_SLOT "${slotName}" LOGICAL pgoutput EXPORT_SNAPSHOT`,
    );
    const row = rows[0];
    if (!row?.snapshot_name) throw new ReplicationError('unknown', 'The server created the slot without exporting a snapshot', false);
    let released = false;
    return {
      slotName: row.slot_name,
      consistentLsn: formatLsn(row.consistent_point),
      snapshotName: row.snapshot_name,
      release: async () => {
        if (released) return;
        released = true;
        await client.end().catch(() => undefined);
      },
    };
  } catch (err) {
    await client.end().catch(() => undefined);
    throw classifyReplicationError(err);
  }
}

/**
 * Starts a REPEATABLE READ, READ ONLY transaction on `client` (an ordinary connection to the
 * same database) that sees the database exactly as of the slot's creation. The caller reads
 * what it needs and ends it with COMMIT (or ROLLBACK). Several connections may import the
 * same snapshot (parallel reads) while the slot's creator has not released it.
 */
export async function importSnapshot(client: pg.ClientBase, snapshotName: string): Promise<void> {
  if (!/^[0-9A-F-]+$/i.test(snapshotName)) throw new Error(`"${snapshotName}" is not a snapshot name`);
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    await client.query(`SET TRANSACTION SNAPSHOT '${snapshotName}'`);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Drops the slot if it exists; returns whether it did. A slot being read is refused
 * (slot_busy) unless `terminateReader`, which ends the reading walsender first: for
 * stopping a sync whose reader may still run somewhere.
 */
export async function dropSlot(client: pg.ClientBase, slotName: string, options: { terminateReader?: boolean } = {}): Promise<boolean> {
  assertCaptureName(slotName);
  const deadline = Date.now() + 10_000;
  try {
    for (;;) {
      const { rows } = await client.query<{ active_pid: number | null }>('SELECT active_pid FROM pg_replication_slots WHERE slot_name = $1', [slotName]);
      if (rows.length === 0) return false;
      const pid = rows[0].active_pid;
      if (pid !== null && options.terminateReader && Date.now() < deadline) {
        await client.query('SELECT pg_terminate_backend($1)', [pid]);
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      try {
        await client.query('SELECT pg_drop_replication_slot($1)', [slotName]);
        return true;
      } catch (err) {
        // Dropped meanwhile by someone else.
        if ((err as { code?: string }).code === '42704') return false;
        // Its reader went away between our look and the drop, or is still exiting.
        if ((err as { code?: string }).code === '55006' && options.terminateReader && Date.now() < deadline) continue;
        throw err;
      }
    }
  } catch (err) {
    throw classifyReplicationError(err);
  }
}
