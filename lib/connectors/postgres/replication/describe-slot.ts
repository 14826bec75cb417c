import type pg from 'pg';
import { type Lsn, formatLsn } from './lsn';
import { classifyReplicationError } from './replication-error';

/**
 * - healthy: the slot exists and holds little WAL;
 * - holding_wal: it holds more than the warning threshold, or more than max_wal_size
 *   (wal_status 'extended'): the reader is behind or stopped;
 * - at_risk: wal_status 'unreserved': past max_slot_wal_keep_size, lost at the next checkpoint
 *   unless the reader catches up;
 * - lost: invalidated, its WAL is gone: take a new snapshot (and create a new slot);
 * - missing: no such slot: take a new snapshot.
 */
export type SlotState = 'healthy' | 'holding_wal' | 'at_risk' | 'lost' | 'missing';

export interface SlotHealth {
  slotName: string;
  state: SlotState;
  /** One sentence for the sync page. */
  message: string;
  exists: boolean;
  /** A reader is streaming it now. */
  active: boolean;
  activePid: number | null;
  restartLsn: Lsn | null;
  confirmedFlushLsn: Lsn | null;
  walStatus: 'reserved' | 'extended' | 'unreserved' | 'lost' | null;
  /** pg_current_wal_lsn() - restart_lsn: the WAL the slot keeps on the source's disk. */
  retainedWalBytes: number | null;
  /** Changes not yet acknowledged: pg_current_wal_lsn() - confirmed_flush_lsn. */
  unconfirmedBytes: number | null;
  /** Bytes left before max_slot_wal_keep_size invalidates the slot; null when unbounded. */
  safeWalBytes: number | null;
}

/** Warn past 1 GiB of held WAL unless the caller says otherwise. */
export const DEFAULT_WARN_RETAINED_BYTES = 1024 ** 3;

interface SlotRow {
  active: boolean;
  active_pid: number | null;
  restart_lsn: string | null;
  confirmed_flush_lsn: string | null;
  wal_status: SlotHealth['walStatus'];
  retained: string | null;
  unconfirmed: string | null;
  safe_wal_size: string | null;
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

export async function describeSlot(client: pg.ClientBase, slotName: string, warnRetainedBytes = DEFAULT_WARN_RETAINED_BYTES): Promise<SlotHealth> {
  let row: SlotRow | undefined;
  try {
    // On a standby pg_current_wal_lsn() fails: measure against the replayed position there.
    const result = await client.query<SlotRow>(
      `WITH here AS (SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END AS lsn)
       SELECT s.active, s.active_pid, s.restart_lsn::text, s.confirmed_flush_lsn::text, s.wal_status,
              pg_wal_lsn_diff(here.lsn, s.restart_lsn)::bigint::text AS retained,
              pg_wal_lsn_diff(here.lsn, s.confirmed_flush_lsn)::bigint::text AS unconfirmed,
              s.safe_wal_size::text
         FROM pg_replication_slots s, here WHERE s.slot_name = $1`,
      [slotName],
    );
    row = result.rows[0];
  } catch (err) {
    throw classifyReplicationError(err);
  }
  if (!row) {
    return {
      slotName, state: 'missing', message: `Replication slot ${slotName} does not exist: take a new snapshot to resume capture`,
      exists: false, active: false, activePid: null, restartLsn: null, confirmedFlushLsn: null, walStatus: null,
      retainedWalBytes: null, unconfirmedBytes: null, safeWalBytes: null,
    };
  }
  const num = (v: string | null) => (v === null ? null : Number(v));
  const health: SlotHealth = {
    slotName,
    state: 'healthy',
    message: '',
    exists: true,
    active: row.active,
    activePid: row.active_pid,
    restartLsn: row.restart_lsn && formatLsn(row.restart_lsn),
    confirmedFlushLsn: row.confirmed_flush_lsn && formatLsn(row.confirmed_flush_lsn),
    walStatus: row.wal_status,
    retainedWalBytes: num(row.retained),
    unconfirmedBytes: num(row.unconfirmed),
    safeWalBytes: num(row.safe_wal_size),
  };
  const held = health.retainedWalBytes ?? 0;
  // An invalidated slot has no restart_lsn left.
  if (row.wal_status === 'lost' || row.restart_lsn === null) {
    return { ...health, state: 'lost', message: `Replication slot ${slotName} was invalidated (the WAL it needed is gone): take a new snapshot` };
  }
  if (row.wal_status === 'unreserved') {
    return { ...health, state: 'at_risk', message: `Replication slot ${slotName} holds ${mib(held)} of WAL, past max_slot_wal_keep_size: it is lost at the next checkpoint unless the reader catches up` };
  }
  if (row.wal_status === 'extended' || held > warnRetainedBytes) {
    return { ...health, state: 'holding_wal', message: `Replication slot ${slotName} holds ${mib(held)} of WAL: ${row.active ? 'its reader is behind' : 'no reader is streaming it'}` };
  }
  return { ...health, message: `Replication slot ${slotName} holds ${mib(held)} of WAL` };
}
