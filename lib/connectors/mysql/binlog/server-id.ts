/**
 * A replica's server id must be unique among everything connected to the server: a second
 * binlog dump with the same id makes MariaDB/MySQL kill the first one ("A slave with the same
 * server_uuid/server_id as this slave has connected"). Readers are long-lived singletons per
 * sync, so the id is derived from the sync's stable id: the same sync keeps its id across
 * restarts and workers (a stale connection of a dead worker is cut off by its successor,
 * which is what we want), and different syncs get different ids.
 *
 * Range: [100 000, 2^31 - 1], above the small ids DBAs give real replicas (1, 2, 101 …) and
 * within both servers' 32-bit limit. FNV-1a over the id, so two syncs collide with
 * probability ~1 / 2.1e9 per pair; pass an explicit server id to the reader if a DBA has
 * reserved ids.
 */
export const MIN_READER_SERVER_ID = 100_000;
export const MAX_READER_SERVER_ID = 2 ** 31 - 1;

export function readerServerId(stableId: string): number {
  if (stableId.length === 0) throw new Error('A binlog reader needs a stable id (e.g. the sync id)');
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(stableId, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return MIN_READER_SERVER_ID + (hash % (MAX_READER_SERVER_ID - MIN_READER_SERVER_ID + 1));
}
