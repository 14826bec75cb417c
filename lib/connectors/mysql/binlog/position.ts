import type mysql from 'mysql2/promise';
import { BinlogReaderError, classifyBinlogError } from './binlog-error';
import { type BinlogCheckpoint, parseGtidPosition } from './checkpoint';

/**
 * The server's side of a checkpoint: where the binlog stands now, and whether a stored
 * checkpoint can still be resumed from (its file or GTIDs not purged, not ahead of the server).
 */

type Queryable = Pick<mysql.Connection, 'query'>;

async function rows(conn: Queryable, sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  try {
    const [result] = await conn.query<mysql.RowDataPacket[]>(sql, values);
    return result;
  } catch (err) {
    throw classifyBinlogError(err);
  }
}

export async function isMariaDb(conn: Queryable): Promise<boolean> {
  const [row] = await rows(conn, 'SELECT VERSION() AS v');
  return /mariadb/i.test(String(row.v));
}

/**
 * The position just after the last transaction in the binlog: "from now". File and position
 * from SHOW MASTER STATUS, and on MariaDB the GTID position of exactly that point
 * (BINLOG_GTID_POS), so the pair is coherent even while others write.
 *
 * For a snapshot handed over to change capture, call it inside
 * `START TRANSACTION WITH CONSISTENT SNAPSHOT` on the snapshot's own session: MariaDB then
 * reports the snapshot's point in `SHOW STATUS LIKE 'binlog_snapshot_%'`; see snapshotPosition.
 */
export async function currentPosition(conn: Queryable): Promise<BinlogCheckpoint> {
  const [status] = await rows(conn, 'SHOW MASTER STATUS');
  if (!status) throw new BinlogReaderError('binlog_off', 'The source server does not write a binlog (log_bin is OFF); change capture needs it.');
  return withGtid(conn, String(status.File), Number(status.Position));
}

/**
 * The binlog point of the consistent snapshot open on `conn` (MariaDB; the session must have
 * run START TRANSACTION WITH CONSISTENT SNAPSHOT). Rows read in that transaction are exactly
 * those committed before this point, so streaming from it misses nothing.
 */
export async function snapshotPosition(conn: Queryable): Promise<BinlogCheckpoint> {
  const status = await rows(conn, "SHOW STATUS LIKE 'binlog_snapshot_%'");
  const get = (name: string) => status.find((r) => String(r.Variable_name).toLowerCase() === name)?.Value;
  const file = get('binlog_snapshot_file');
  const position = get('binlog_snapshot_position');
  if (!file) throw new BinlogReaderError('binlog_off', 'The source server does not write a binlog (log_bin is OFF); change capture needs it.');
  return withGtid(conn, String(file), Number(position));
}

async function withGtid(conn: Queryable, file: string, position: number): Promise<BinlogCheckpoint> {
  if (!(await isMariaDb(conn))) return { gtid: null, file, position };
  const [row] = await rows(conn, 'SELECT BINLOG_GTID_POS(?, ?) AS gtid', [file, position]);
  return { gtid: row.gtid === null ? '' : String(row.gtid), file, position };
}

export type PositionHealth = { state: 'ok' } | { state: 'lost'; message: string };

const NEW_SNAPSHOT = 'Start the sync again with a new snapshot.';

/**
 * Whether the server can still stream from `checkpoint`. 'lost' (with a sentence for the sync
 * page) when its binlog file was purged, a GTID it needs is older than the oldest binlog
 * file, or it is ahead of the server (the binlog was reset, or this is another server).
 * Errors other than a lost position (grants, binlog off) are thrown, classified.
 */
export async function describePosition(conn: Queryable, checkpoint: BinlogCheckpoint): Promise<PositionHealth> {
  const logs = (await rows(conn, 'SHOW BINARY LOGS')).map((r) => ({ name: String(r.Log_name), size: Number(r.File_size) }));
  if (logs.length === 0) return { state: 'lost', message: `The server has no binlog files. ${NEW_SNAPSHOT}` };
  if (checkpoint.gtid) return describeGtid(conn, checkpoint.gtid, logs[0].name);
  const file = logs.find((l) => l.name === checkpoint.file);
  if (!file) {
    return {
      state: 'lost',
      message: `Binlog file ${checkpoint.file} is no longer on the server (oldest kept: ${logs[0].name}); changes after it were purged. ${NEW_SNAPSHOT}`,
    };
  }
  if (checkpoint.position > file.size) {
    return { state: 'lost', message: `Position ${checkpoint.position} is past the end of ${checkpoint.file} (${file.size} bytes). ${NEW_SNAPSHOT}` };
  }
  return { state: 'ok' };
}

async function describeGtid(conn: Queryable, gtid: string, oldestFile: string): Promise<PositionHealth> {
  const wanted = parseGtidPosition(gtid);
  const [state] = await rows(conn, 'SELECT @@GLOBAL.gtid_binlog_pos AS pos');
  const server = parseGtidPosition(String(state.pos ?? ''));
  for (const entry of wanted.values()) {
    const have = server.get(entry.domain);
    if (!have) {
      return { state: 'lost', message: `GTID domain ${entry.domain} of checkpoint ${gtid} is not in this server's binlog (the binlog was reset, or this is another server). ${NEW_SNAPSHOT}` };
    }
    if (have.seq < entry.seq) {
      return { state: 'lost', message: `Checkpoint ${gtid} is ahead of the server's binlog (${String(state.pos)}): the binlog was reset, or this is another server. ${NEW_SNAPSHOT}` };
    }
  }
  // The oldest file starts with a GTID list: the last GTID per domain before it. A checkpoint
  // older than that needs transactions that were purged.
  const head = await rows(conn, `SHOW BINLOG EVENTS IN ? LIMIT 4`, [oldestFile]);
  const list = head.find((e) => String(e.Event_type).toLowerCase() === 'gtid_list');
  const purged = parseGtidPosition(String(list?.Info ?? '').replace(/^\[|\]$/g, ''));
  for (const entry of wanted.values()) {
    const before = purged.get(entry.domain);
    if (before && before.seq > entry.seq) {
      return {
        state: 'lost',
        message: `Transactions after ${entry.domain}-${entry.server}-${entry.seq} were purged from the binlog (the oldest file ${oldestFile} starts after ${before.domain}-${before.server}-${before.seq}). ${NEW_SNAPSHOT}`,
      };
    }
  }
  return { state: 'ok' };
}
