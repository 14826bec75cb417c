import type { SyncCaptureHealth, SyncPosition } from '../schemas/sync-settings';
import type { SourceChange } from './apply-changes';

/** What a log reader hands the sync loop: changes in commit order, and the position after them. */
export interface LogBatch {
  changes: SourceChange[];
  /** Store (and then acknowledge) this once the changes are committed in the target; null: nothing completed yet. */
  position: SyncPosition | null;
  /** Schema changes of the captured table seen in this batch (DDL kind), for the job's log. */
  schemaChanges: string[];
}

/**
 * One system's log, as the sync loop (run-log-sync.ts) drives it: the PostgreSQL slot
 * (postgres-log-source.ts) or the MariaDB/MySQL binlog (binlog-log-source.ts).
 */
export interface LogSource {
  /** The next batch, or null after about a second of quiet (the loop then checks for stops). */
  next(): Promise<LogBatch | null>;
  /** The position was stored with the target's commit: the source may let go of what lies before it. */
  acknowledge(position: SyncPosition): void;
  /** Keeps an idle log's position moving (PostgreSQL heartbeat message); called every few seconds. */
  heartbeat(): Promise<void>;
  /** The log's health for the sync page (WAL held, position lost). */
  health(): Promise<SyncCaptureHealth>;
  close(): Promise<void>;
}

/** A lost slot or binlog position: the sync stops and offers a new snapshot. */
export class CaptureLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaptureLostError';
  }
}
