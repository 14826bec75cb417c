/**
 * Change-capture failures as stable codes with a sentence, so the sync job can decide
 * (wait, take a new snapshot, fail with what to do) without matching messages itself.
 * Prerequisites are checked up front by lib/sync/check-capture-prerequisites.ts; this only
 * names what the server said when something still fails.
 */
export type ReplicationErrorCode =
  /** Another connection reads the slot ("replication slot … is active for PID …"). Retry later or take over the lease. */
  | 'slot_busy'
  | 'slot_missing'
  /** The slot was invalidated (its WAL was removed, max_slot_wal_keep_size): a new snapshot is needed. */
  | 'slot_lost'
  | 'slot_exists'
  | 'publication_missing'
  /** wal_level is not logical. */
  | 'wal_level'
  /** The role lacks REPLICATION, table ownership for a publication, or another privilege. */
  | 'missing_privilege'
  /** max_replication_slots or max_wal_senders reached. */
  | 'limit_reached'
  /** The socket closed or the server went away: reconnect from the acknowledged position. */
  | 'connection_lost'
  /** A table cannot be published safely (no replica identity) or the server misbehaved. */
  | 'not_supported'
  | 'unknown';

export class ReplicationError extends Error {
  constructor(
    readonly code: ReplicationErrorCode,
    message: string,
    /** Worth retrying as is (later, or from another worker). */
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ReplicationError';
  }
}

interface PgFields {
  code?: string;
  message: string;
  detail?: string;
}

function fieldsOf(err: unknown): PgFields {
  if (err instanceof Error) {
    const e = err as Error & { code?: unknown; detail?: unknown };
    return { message: err.message, code: typeof e.code === 'string' ? e.code : undefined, detail: typeof e.detail === 'string' ? e.detail : undefined };
  }
  return { message: String(err) };
}

const SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/** A failure of a change-capture operation as a ReplicationError (returned as is when it already is one). */
export function classifyReplicationError(err: unknown): ReplicationError {
  if (err instanceof ReplicationError) return err;
  const { code, message, detail } = fieldsOf(err);
  const make = (c: ReplicationErrorCode, text: string, retryable: boolean) => new ReplicationError(c, text, retryable, { cause: err });

  if (/replication slot .* is active for PID/i.test(message)) {
    return make('slot_busy', `${message}: another reader holds this slot; only one reader per slot can stream`, true);
  }
  if (/logical decoding requires wal_level|wal_level >= logical|wal_level must be/i.test(message)) {
    return make('wal_level', 'The source server runs with wal_level below logical; set wal_level = logical and restart PostgreSQL', false);
  }
  if (/can no longer get changes from replication slot|has been invalidated|cannot read from logical replication slot/i.test(message)) {
    return make('slot_lost', `${message}${detail ? ` (${detail})` : ''}: the slot lost WAL it needed; take a new snapshot`, false);
  }
  if (/replication slot .* does not exist/i.test(message)) return make('slot_missing', `${message}: the slot is gone; take a new snapshot`, false);
  if (/replication slot .* already exists/i.test(message)) return make('slot_exists', message, false);
  if (/publication .* does not exist/i.test(message)) return make('publication_missing', `${message}: recreate the publication`, false);
  if (/must be superuser or replication role|permission denied to (start WAL sender|use replication slots)|must be owner of|permission denied/i.test(message) || code === '42501') {
    return make(
      'missing_privilege',
      `${message}: change capture needs a role with REPLICATION (ALTER ROLE … WITH REPLICATION), ownership of the published tables (or superuser) for the publication, and CREATE on the database`,
      false,
    );
  }
  if (/all replication slots are in use|number of requested standby connections exceeds max_wal_senders/i.test(message)) {
    return make('limit_reached', `${message}: raise max_replication_slots / max_wal_senders or drop unused slots`, true);
  }
  const errno = code && SOCKET_CODES.has(code);
  if (errno || /Connection terminated|terminating connection|server closed the connection|socket hang up/i.test(message) || code === '57P01') {
    return make('connection_lost', message, true);
  }
  return make('unknown', message, false);
}
