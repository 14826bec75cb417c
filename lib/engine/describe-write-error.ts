/**
 * Turns a database error from a failed single-row write into a stable code and the
 * field it concerns, so error rows can be filtered by field and code.
 */
export interface WriteFailure {
  field: string | null;
  code: string;
  message: string;
}

interface DriverError {
  message?: string;
  code?: string;
  errno?: number;
  column?: string;
  constraint?: string;
  detail?: string;
  sqlMessage?: string;
}

const pgCodes: Record<string, string> = {
  '23505': 'unique_violation',
  '23502': 'not_null_violation',
  '23503': 'foreign_key_violation',
  '23514': 'check_violation',
  '22001': 'value_too_long',
  '22003': 'numeric_out_of_range',
  '22P02': 'invalid_value',
  '22007': 'invalid_datetime',
  '22008': 'invalid_datetime',
};

const mysqlCodes: Record<number, string> = {
  1062: 'unique_violation',
  1048: 'not_null_violation',
  1364: 'not_null_violation',
  1452: 'foreign_key_violation',
  4025: 'check_violation',
  3819: 'check_violation',
  1406: 'value_too_long',
  1264: 'numeric_out_of_range',
  1366: 'invalid_value',
  1292: 'invalid_datetime',
};

function fieldFrom(error: DriverError): string | null {
  if (error.column) return error.column;
  // PostgreSQL: `Key (email)=(x@y) already exists.` / `Key (contact_id)=(7) is not present …`
  const fromDetail = error.detail?.match(/^Key \(([^)]+)\)=/);
  if (fromDetail) return fromDetail[1];
  const text = error.sqlMessage ?? error.message ?? '';
  // MySQL: `Column 'x' cannot be null`, `Data too long for column 'x'`, `for key 'table.x'`
  const fromMessage = text.match(/[Cc]olumn '([^']+)'/) ?? text.match(/for key '(?:[^.']+\.)?([^']+)'/);
  if (fromMessage) return fromMessage[1];
  // Check constraints named <table>_<column>_check by PostgreSQL's default naming.
  const fromConstraint = error.constraint?.match(/^[^_]+_(.+)_check$/);
  return fromConstraint ? fromConstraint[1] : null;
}

export function describeWriteError(raw: unknown): WriteFailure {
  const error = (raw ?? {}) as DriverError;
  const code =
    (error.code && pgCodes[error.code]) || (error.errno && mysqlCodes[error.errno]) || (error.code ? `db_${error.code}`.toLowerCase() : 'write_failed');
  const detail = error.detail ? ` (${error.detail})` : '';
  return { field: fieldFrom(error), code, message: `${error.message ?? String(raw)}${detail}`.slice(0, 2000) };
}

/**
 * Errors that say nothing about the rows, so the batch is not bisected (which would turn
 * every row of it into an error row): a lost connection, a server restarting, a login
 * refused mid-job, a deadlock (the chunk retries or the job waits), and a target table,
 * column or privilege gone mid-job (the job fails with what to do).
 */
export function saysNothingAboutRows(raw: unknown): boolean {
  const error = (raw ?? {}) as DriverError;
  const code = error.code ?? '';
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'PROTOCOL_CONNECTION_LOST'].includes(code)) return true;
  if (/^(08|28|53|57P)/.test(code) || ['40001', '40P01', '42P01', '42703', '42501'].includes(code)) return true;
  if (error.errno && [1205, 1213, 2002, 2003, 2006, 2013, 1040, 1045, 1130, 1146, 1054, 1142, 1143].includes(error.errno)) return true;
  return /Connection terminated|connection is closed|Connection lost|terminating connection|the database system is (starting up|shutting down)|Client has encountered a connection error/i.test(
    error.message ?? '',
  );
}
