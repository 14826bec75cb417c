import type { ConstraintColumns } from '../connectors/connector';

/**
 * Turns a database error from a failed single-row write into a stable code and the
 * field it concerns, so error rows can be filtered by field and code. The run and the
 * preview's write check both describe their failures here.
 */
export interface WriteFailure {
  field: string | null;
  code: string;
  message: string;
}

/** What the writer knows about the failed write: it lets the field be named when the error alone does not. */
export interface WriteErrorContext {
  /** The written table (unqualified): constraints of another table (a trigger's write) are not looked up. */
  table?: string;
  /** The statement's columns, in parameter order (writeBatch's `columns`). */
  columns?: readonly string[];
  /** The table's constraints' columns (Connector.constraintColumns). */
  constraintColumns?: ConstraintColumns;
}

interface DriverError {
  message?: string;
  code?: string;
  errno?: number;
  column?: string;
  constraint?: string;
  detail?: string;
  sqlMessage?: string;
  table?: string;
  /** PostgreSQL's context line: "unnamed portal parameter $3 = '…'" for a value it could not read. */
  where?: string;
  cause?: unknown;
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

/** The columns of the constraint the error names, from the constraint's definition. */
function constraintField(error: DriverError, context: WriteErrorContext): string | null {
  if (!error.constraint || !context.constraintColumns) return null;
  if (error.table && context.table && error.table !== context.table) return null;
  const columns = context.constraintColumns.get(error.constraint);
  // Joined as the unique check (reject-unique-conflicts.ts) and key errors join them.
  return columns && columns.length > 0 ? columns.join(',') : null;
}

/**
 * A value PostgreSQL could not read as its column's type (a text that is not an array
 * literal, say) is reported for its bind parameter: single-row writes bind the row's
 * values in column order, so parameter n is column (n - 1) mod the column count.
 */
function parameterField(error: DriverError, context: WriteErrorContext): string | null {
  const where = error.where ?? (error.cause as DriverError | undefined)?.where;
  const n = where?.match(/portal parameter \$(\d+)/)?.[1];
  if (!n || !context.columns?.length) return null;
  return context.columns[(Number(n) - 1) % context.columns.length] ?? null;
}

function fieldFrom(error: DriverError, context: WriteErrorContext): string | null {
  const fromConstraint = constraintField(error, context);
  if (fromConstraint) return fromConstraint;
  if (error.column) return error.column;
  // PostgreSQL: `Key (email)=(x@y) already exists.` / `Key (contact_id)=(7) is not present …`
  const fromDetail = error.detail?.match(/^Key \(([^)]+)\)=/);
  if (fromDetail) return fromDetail[1];
  const text = error.sqlMessage ?? error.message ?? '';
  // MySQL: `Column 'x' cannot be null`, `Data too long for column 'x'`, `for key 'table.x'`
  const fromMessage = text.match(/[Cc]olumn '([^']+)'/) ?? text.match(/for key '(?:[^.']+\.)?([^']+)'/);
  if (fromMessage) return fromMessage[1];
  const fromParameter = parameterField(error, context);
  if (fromParameter) return fromParameter;
  // Check constraints named <table>_<column>_check by PostgreSQL's default naming.
  const fromCheckName = error.constraint?.match(/^[^_]+_(.+)_check$/);
  return fromCheckName ? fromCheckName[1] : null;
}

/** Without a context (the plain insert's refusal), the field is what the error alone says. */
export function describeWriteError(raw: unknown, context: WriteErrorContext = {}): WriteFailure {
  const error = (raw ?? {}) as DriverError;
  const code =
    (error.code && pgCodes[error.code]) || (error.errno && mysqlCodes[error.errno]) || (error.code ? `db_${error.code}`.toLowerCase() : 'write_failed');
  const detail = error.detail ? ` (${error.detail})` : '';
  return { field: fieldFrom(error, context), code, message: `${error.message ?? String(raw)}${detail}`.slice(0, 2000) };
}

/**
 * Errors that say nothing about the rows, so the batch is not bisected (which would turn
 * every row of it into an error row): a lost connection, a server restarting, a login
 * refused mid-job, a deadlock, a lock or statement timeout (the chunk retries or the job
 * waits; a preview says the table is locked), and a target table, column or privilege gone
 * mid-job (the job fails with what to do).
 */
export function saysNothingAboutRows(raw: unknown): boolean {
  const error = (raw ?? {}) as DriverError;
  const code = error.code ?? '';
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'PROTOCOL_CONNECTION_LOST'].includes(code)) return true;
  if (/^(08|28|53|57P)/.test(code) || ['40001', '40P01', '55P03', '57014', '42P01', '42703', '42501'].includes(code)) return true;
  if (error.errno && [1205, 1213, 1969, 3024, 2002, 2003, 2006, 2013, 1040, 1045, 1130, 1146, 1054, 1142, 1143].includes(error.errno)) return true;
  return /Connection terminated|connection is closed|Connection lost|terminating connection|the database system is (starting up|shutting down)|Client has encountered a connection error/i.test(
    error.message ?? '',
  );
}
