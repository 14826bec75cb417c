import type pg from 'pg';
import { HEARTBEAT_PREFIX } from './assemble-transactions';
import type { Lsn } from './lsn';
import { classifyReplicationError } from './replication-error';

/**
 * Writes a heartbeat into the captured database's log (an ordinary connection to the SAME
 * database as the slot: logical messages are decoded only there). The reader hands it out
 * as a heartbeat item; acknowledging it moves an idle slot's confirmed position, and with
 * it the WAL the slot holds, even when the captured tables do not change.
 *
 * Non-transactional: it is decoded where it lands in the log, needs no transaction id, and
 * commits nothing, so it cannot wait behind locks or roll back. Every Ferry slot of this
 * database sees every heartbeat, which is harmless: any of them is a safe point to
 * acknowledge once everything before it is applied.
 */
export async function emitHeartbeat(client: pg.ClientBase, content: string = new Date().toISOString()): Promise<Lsn> {
  try {
    const { rows } = await client.query<{ lsn: string }>('SELECT pg_logical_emit_message(false, $1, $2)::text AS lsn', [HEARTBEAT_PREFIX, content]);
    return rows[0].lsn;
  } catch (err) {
    throw classifyReplicationError(err);
  }
}
