import { jobOptionsSchema } from '../../schemas/job-request';
import { syncCheckpointSchema, type SyncCheckpoint } from '../../schemas/sync-settings';
import { afterSyncControl } from '../../sync/after-sync-control';
import { runSync } from '../../sync/run-sync';
import { settleJob } from '../settle-job';
import { chunkStore } from '../units/unit-stores';
import type { JobKindDefinition } from './job-kind';

const VERIFY_AFTER = 'never' as const;

/**
 * A sync, for as long as it is kept running: one unit (a chunk whose cursor is the sync's
 * checkpoint and whose lease makes it one run or one log reader at a time across all
 * workers), delivered again and again by the sync's BullMQ job scheduler (lib/sync/schedule-sync.ts).
 * It never completes by itself: it is paused, resumed and stopped (cancelled) like a migration.
 */
export const syncKind: JobKindDefinition<SyncCheckpoint> = {
  kind: 'sync',
  label: 'sync',
  optionsSchema: jobOptionsSchema,
  planner: null,
  units: {
    jobName: 'sync-run',
    store: chunkStore,
    cursorSchema: syncCheckpointSchema,
    process: runSync,
    deliveredBy: 'schedule',
  },
  ownsErrorRows: true,
  parentLink: { before: 'Keeps ', after: ' in step' },
  pausable: true,
  afterControl: afterSyncControl,
  copiesRows: true,
  verification: VERIFY_AFTER,
  settle: (jobId) => settleJob(jobId, VERIFY_AFTER, 'at-start'),
};
