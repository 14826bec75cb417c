import type { ConnectionOptions } from 'mysql2';
import type mysql from 'mysql2/promise';
import type { ResolvedConnection } from '../../../schemas/connection-config';
import { baseOptions, resolvePoolSsl } from '../connection';
import { BinlogReaderError, classifyBinlogError } from './binlog-error';

/** The replica connection's options from a saved connection: the connector's TLS and value settings. */
export async function binlogConnectionOptions(c: ResolvedConnection): Promise<ConnectionOptions> {
  return { ...baseOptions(c), ssl: await resolvePoolSsl(c), connectTimeout: 10_000 };
}

/** The same value conventions as the connector's reads (connection.ts), whatever the caller passed. */
export function valueOptions(options: ConnectionOptions): ConnectionOptions {
  return { ...options, supportBigNumbers: true, bigNumberStrings: true, decimalNumbers: false, dateStrings: true, timezone: 'Z' };
}

export interface ServerSettings {
  mariaDb: boolean;
  metadataFull: boolean;
}

/** Refuses a server whose binlog cannot serve change capture; says whether the binlog names its columns. */
export async function checkServer(conn: mysql.Connection): Promise<ServerSettings> {
  let row: mysql.RowDataPacket;
  try {
    [[row]] = await conn.query<mysql.RowDataPacket[]>(
      'SELECT VERSION() AS version, @@GLOBAL.log_bin AS log_bin, @@GLOBAL.binlog_format AS format, @@GLOBAL.binlog_row_image AS image, @@GLOBAL.binlog_row_metadata AS metadata',
    );
  } catch (err) {
    throw classifyBinlogError(err);
  }
  if (Number(row.log_bin) !== 1) throw new BinlogReaderError('binlog_off', 'The source server does not write a binlog (log_bin is OFF); change capture needs it.');
  if (String(row.format).toUpperCase() !== 'ROW') {
    throw new BinlogReaderError('binlog_not_row', `The source binlog is in ${String(row.format)} format; change capture needs binlog_format=ROW.`);
  }
  if (String(row.image).toUpperCase() !== 'FULL') {
    throw new BinlogReaderError(
      'row_image_not_full',
      `The source binlog logs ${String(row.image)} row images; change capture needs binlog_row_image=FULL (whole rows before and after each change).`,
    );
  }
  return { mariaDb: /mariadb/i.test(String(row.version)), metadataFull: String(row.metadata).toUpperCase() === 'FULL' };
}
