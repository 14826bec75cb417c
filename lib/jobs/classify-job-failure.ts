import { UnrecoverableError } from 'bullmq';
import { fieldsOf } from '../connectors/classify-connection-error';
import { StepTimeoutError } from '../engine/with-timeout';

/**
 * What a failed planner or unit attempt means for its job:
 * - `outage`: a database is unreachable or refuses the connection. Nothing about the job
 *   is wrong; it waits at job level (job-outage.ts) rather than spending each unit's retries.
 * - `unrecoverable`: a retry cannot fix it (wrong password, a table or column that does
 *   not exist, no permission, a TRUNCATE refused by a foreign key). The job fails at once,
 *   with the reason and what to do.
 * - `transient`: anything else; BullMQ retries the attempt with backoff.
 *
 * Read from the drivers' structured fields (SQLSTATE, MySQL errno, socket codes), never
 * from message text where a code exists.
 */
export type JobFailure =
  | { kind: 'outage'; cause: OutageCause; reason: string }
  | { kind: 'unrecoverable'; reason: string; hint: string }
  | { kind: 'transient'; reason: string };

export type OutageCause = 'unreachable' | 'refuses_login' | 'unavailable';

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', 'PROTOCOL_CONNECTION_LOST']);

/** PostgreSQL SQLSTATEs: the server is there but not serving (shutting down, starting, too many connections). */
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08003', '08006', '08001', '08004']);
/** MySQL/MariaDB errnos: client-side connection losses and a full server. */
const MYSQL_UNAVAILABLE = new Set([1040, 1053, 1077, 1927, 2002, 2003, 2006, 2013, 2055]);

const PG_AUTH = new Set(['28P01', '28000']);
const MYSQL_AUTH = new Set([1045, 1130, 1698]);

/** A truncate refused by a foreign key: PostgreSQL says feature_not_supported, MySQL ER_TRUNCATE_ILLEGAL_FK. */
const isTruncateRefusedByForeignKey = (code: string | undefined, errno: number | undefined, message: string) =>
  (code === '0A000' && /truncate a table referenced in a foreign key/i.test(message)) || errno === 1701;

function unrecoverable(code: string | undefined, errno: number | undefined, message: string, reason: string): { reason: string; hint: string } | null {
  if (code === 'table_not_found' || code === '42P01' || errno === 1146) {
    return { reason, hint: 'Create the table or point the mapping at an existing one (the mapping editor shows the tables), then start the job again.' };
  }
  if (code === '42703' || errno === 1054) {
    return { reason, hint: 'A mapped column is missing: open the mapping, fix the fields the check marks, save and start again.' };
  }
  if (code === '3D000' || errno === 1049) {
    return { reason, hint: 'Correct the database name of the connection (Connections page), then start the job again.' };
  }
  if (code === '42501' || errno === 1142 || errno === 1143 || errno === 1227 || errno === 1044) {
    return { reason, hint: 'Grant the connection\'s user the privileges the job needs (SELECT on the source; INSERT, UPDATE and, for a full reload or repair, DELETE/TRUNCATE on the target), then start again.' };
  }
  if (code === 'csv_key_order') {
    return { reason, hint: 'Open the mapping, choose _line (the line number) as the source key, save and start again.' };
  }
  if (code === 'csv_file_changed') {
    return { reason, hint: 'Upload the export again (Files page) as a new version of the same table, confirm its shape, then start again.' };
  }
  if (isTruncateRefusedByForeignKey(code, errno, message)) {
    return {
      reason,
      hint: 'Another table references this one by foreign key, so it cannot be emptied: run without a full reload (writes are upserts), or empty the referencing tables first.',
    };
  }
  return null;
}

const SIDE = Symbol('side');

/**
 * Marks a failure with the side it came from, where the caller knows it (describing the
 * source table, emptying the target): the job page then says "target: table … not found".
 */
export function onSide<T>(side: 'source' | 'target', work: Promise<T>): Promise<T> {
  return work.catch((error: unknown) => {
    if (error instanceof Error && !(SIDE in error)) Object.defineProperty(error, SIDE, { value: side });
    throw error;
  });
}

export function classifyJobFailure(error: unknown): JobFailure {
  const { message, code, errno } = fieldsOf(error);
  const side = error instanceof Error && SIDE in error ? (error as Error & { [SIDE]: string })[SIDE] : null;
  const reason = `${side ? `${side}: ` : ''}${message || 'unknown error'}`;
  if (error instanceof UnrecoverableError) return { kind: 'unrecoverable', reason, hint: '' };
  if (code && PG_AUTH.has(code)) return { kind: 'outage', cause: 'refuses_login', reason };
  if (errno !== undefined && MYSQL_AUTH.has(errno)) return { kind: 'outage', cause: 'refuses_login', reason };
  if (/password must be a string|password authentication failed/i.test(message)) return { kind: 'outage', cause: 'refuses_login', reason };
  const fatal = unrecoverable(code, errno, message, reason);
  if (fatal) return { kind: 'unrecoverable', ...fatal };
  if (error instanceof StepTimeoutError) return { kind: 'transient', reason };
  if ((code && (SOCKET_CODES.has(code) || PG_UNAVAILABLE.has(code))) || (errno !== undefined && MYSQL_UNAVAILABLE.has(errno))) {
    return { kind: 'outage', cause: code === '53300' || errno === 1040 || code?.startsWith('57P') ? 'unavailable' : 'unreachable', reason };
  }
  // pg's wording when the server closes the socket or a connect timer fires (no code on these).
  if (/Connection terminated|connection timeout|timeout expired|Client has encountered a connection error/i.test(message)) {
    return { kind: 'outage', cause: 'unreachable', reason };
  }
  return { kind: 'transient', reason };
}

/**
 * For a planner, a refused login is not an outage to wait out: the job has never
 * connected, so the password is most likely wrong. Mid-job, the same refusal is an outage
 * (it worked minutes ago: a rotation, a restart with a new pg_hba.conf).
 */
export function classifyPlannerFailure(error: unknown): JobFailure {
  const failure = classifyJobFailure(error);
  if (failure.kind === 'outage' && failure.cause === 'refuses_login') {
    return {
      kind: 'unrecoverable',
      reason: failure.reason,
      hint: 'Correct the user name or password of the connection (Connections page, "Test" shows the answer), then start the job again.',
    };
  }
  return failure;
}
