/**
 * PostgreSQL change capture: logical replication with pgoutput, spoken over pg's own
 * replication connection (no extra package). It READS changes; the caller applies them
 * and then says how far it got. Nothing here acknowledges a position on its own.
 *
 * Set up (once per sync; `captureNames(syncId)` gives `ferry_<id>` for both names):
 *
 *   await ensurePublication(sql, publicationName, tables);   // FIRST: see ensure-publication.ts
 *   const slot = await createSlot(source, slotName);          // consistent point + exported snapshot
 *   // either read the initial load through the exported snapshot, exactly as of the slot:
 *   await importSnapshot(sqlConn, slot.snapshotName);          // BEGIN REPEATABLE READ; SET TRANSACTION SNAPSHOT
 *   …read…; await sqlConn.query('COMMIT');                     // (one or several connections)
 *   await slot.release();                                      // the snapshot dies with this connection
 *   // or release at once and run the chunked, resumable full load with fresh snapshots:
 *   // every row changed meanwhile is also in the stream (the slot exists), and replaying
 *   // it over the loaded rows is harmless because writes are upserts and deletes by key.
 *   store slot.consistentLsn as the sync's acknowledged position.
 *
 * Stream (one reader per slot; the server itself refuses a second: error code slot_busy):
 *
 *   const reader = await openChangeReader({ source, slotName, publicationName, startLsn: stored });
 *   for (;;) {                                   // check for stop/pause between batches
 *     const batch = await reader.nextBatch(1000);   // empty after 1 s of quiet
 *     apply batch.items in order through the write path, in ONE target transaction that
 *       also stores batch.ackLsn (when not null) as the sync's position;
 *     if (batch.ackLsn) reader.acknowledge(batch.ackLsn);   // only after that commit
 *   }
 *   await reader.close();
 *
 *   - Items: transactions in commit order (commitLsn, commitTime, changes: op, schema,
 *     table, key, old (REPLICA IDENTITY FULL), new, unchangedToast), and heartbeats. A
 *     transaction larger than the batch bounds comes in parts (`part`, `final`); a batch
 *     that ends inside one has ackLsn null, and a restart replays that transaction whole.
 *   - `unchangedToast` columns are absent from `new`: update the other columns only.
 *   - truncate: one change per table, applied per the sync's delete policy.
 *   - After a crash, open a new reader at the stored position: what was acknowledged is not
 *     sent again, everything after it is (at least once; writes are idempotent).
 *   - A keepalive asking for an answer is answered with the acknowledged position; a timer
 *     repeats that same position every statusIntervalMs so the server does not drop a
 *     reader that is busy applying. Neither ever moves the slot.
 *
 * Idle slots: call emitHeartbeat(sql) every few seconds to minutes on an ordinary
 * connection to the same database; it comes back as a heartbeat item, and the batch's
 * ackLsn covers it, so the slot's position and held WAL move while the tables are quiet.
 *
 * Health: describeSlot(sql, slotName) → state healthy | holding_wal | at_risk | lost |
 * missing, the WAL held, and one sentence for the sync page. lost and missing need a new
 * snapshot: dropSlot, createSlot, full load, stream.
 *
 * Errors are ReplicationError with a stable code (replication-error.ts): slot_busy,
 * slot_missing, slot_lost, publication_missing, wal_level, missing_privilege,
 * limit_reached, connection_lost (retry from the stored position), not_supported.
 *
 * Tear down: dropSlot(sql, slotName, { terminateReader: true }); dropPublication(sql, name).
 * A forgotten slot keeps WAL forever (until max_slot_wal_keep_size invalidates it).
 */
export { captureNames } from './capture-names';
export { ensurePublication, dropPublication, type CapturedTable } from './ensure-publication';
export { createSlot, importSnapshot, dropSlot, type CreatedSlot } from './create-slot';
export { openChangeReader, type ChangeReader, type ChangeReaderOptions, type ReaderStats } from './change-reader';
export { emitHeartbeat } from './emit-heartbeat';
export { describeSlot, type SlotHealth, type SlotState, DEFAULT_WARN_RETAINED_BYTES } from './describe-slot';
export { ReplicationError, classifyReplicationError, type ReplicationErrorCode } from './replication-error';
export { type CaptureSource } from './replication-client';
export { ackLsnOf, keyTuple, type CapturedChange, type CapturedTransaction, type CapturedHeartbeat, type CapturedItem, type ChangeBatch } from './captured-change';
export { type Relation, type Row } from './pgoutput-decoder';
export { type Lsn, compareLsn, formatLsn } from './lsn';
