/**
 * Why a binlog reader cannot run, as a stable code and a sentence a sync page can show.
 * `retryable` says whether starting again from the stored checkpoint may help (a dropped
 * connection) or whether a person must act first (grants, server settings, a lost position).
 * The exact statements to fix the server settings and grants are written by
 * lib/sync/check-capture-prerequisites.ts; these messages name what is wrong.
 */
export type BinlogErrorCode =
  | 'binlog_off'
  | 'binlog_not_row'
  | 'row_image_not_full'
  | 'missing_grants'
  /** The checkpoint's binlog file or GTID is no longer on the server: a new snapshot is needed. */
  | 'position_lost'
  /** A captured table's row event no longer matches what the reader knows of its columns. */
  | 'schema_mismatch'
  /** A session logged changes to a captured table as statements (binlog_format=STATEMENT/MIXED). */
  | 'statement_logged_change'
  /** Server features the reader does not decode (XA PREPARE of captured rows, MySQL compressed transactions). */
  | 'unsupported_event'
  /** Another connection took this reader's server id, or the server ended the stream. */
  | 'replaced'
  | 'connection_lost'
  | 'unknown';

const RETRYABLE: ReadonlySet<BinlogErrorCode> = new Set(['connection_lost', 'replaced', 'unknown']);

export class BinlogReaderError extends Error {
  readonly code: BinlogErrorCode;
  readonly retryable: boolean;
  constructor(code: BinlogErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BinlogReaderError';
    this.code = code;
    this.retryable = RETRYABLE.has(code);
  }
}

interface ServerError {
  errno?: number;
  code?: string;
  message: string;
}

function fields(err: unknown): ServerError {
  if (err instanceof Error) {
    const e = err as Error & { errno?: unknown; code?: unknown; sqlMessage?: unknown };
    return {
      errno: typeof e.errno === 'number' ? e.errno : undefined,
      code: typeof e.code === 'string' ? e.code : undefined,
      message: typeof e.sqlMessage === 'string' ? e.sqlMessage : e.message,
    };
  }
  return { message: String(err) };
}

/** Maps a server or driver error met while reading the binlog to a classified error. */
export function classifyBinlogError(err: unknown): BinlogReaderError {
  if (err instanceof BinlogReaderError) return err;
  const e = fields(err);
  switch (e.errno) {
    case 1227: // ER_SPECIFIC_ACCESS_DENIED_ERROR: "you need (at least one of) the REPLICATION SLAVE privilege(s)"
    case 1142:
    case 1044:
    case 1045:
      return new BinlogReaderError(
        'missing_grants',
        `The source user may not read the binlog: ${e.message}. Change capture needs REPLICATION SLAVE, BINLOG MONITOR (MySQL: REPLICATION CLIENT) and SELECT on the captured tables.`,
        { cause: err },
      );
    case 1381: // ER_NO_BINARY_LOGGING
      return new BinlogReaderError('binlog_off', 'The source server does not write a binlog (log_bin is OFF); change capture needs it.', { cause: err });
    case 1236: // ER_MASTER_FATAL_ERROR_READING_BINLOG: purged file, GTID not in any binlog, position past the end
      return new BinlogReaderError(
        'position_lost',
        `The server no longer has the binlog this sync must continue from (${e.message}). Start the sync again with a new snapshot.`,
        { cause: err },
      );
  }
  if (/same server_?(uuid|id)|slave with the same/i.test(e.message)) {
    return new BinlogReaderError('replaced', `Another binlog reader connected with this reader's server id: ${e.message}`, { cause: err });
  }
  if (e.code === 'PROTOCOL_CONNECTION_LOST' || e.code === 'ECONNRESET' || e.code === 'ECONNREFUSED' || e.code === 'ETIMEDOUT' || e.code === 'EPIPE') {
    return new BinlogReaderError('connection_lost', `The binlog connection was lost (${e.code}); it resumes from the last stored checkpoint.`, { cause: err });
  }
  if (/compressed transaction|PARTIAL_JSON|binlog_transaction_compression/i.test(e.message)) {
    return new BinlogReaderError('unsupported_event', e.message, { cause: err });
  }
  if (/schema changed between binlog event and metadata fetch/i.test(e.message)) {
    return new BinlogReaderError(
      'schema_mismatch',
      `${e.message}. The table changed after these rows were written; with binlog_row_metadata=FULL the binlog carries its own column names.`,
      { cause: err },
    );
  }
  return new BinlogReaderError('unknown', e.message, { cause: err });
}
