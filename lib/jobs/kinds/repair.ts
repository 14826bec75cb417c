import { z } from 'zod';
import { repairRows, type RepairCursor } from '../../consistency/repair-rows';
import { repairOptionsSchema } from '../../schemas/job-request';
import { loadJobOptions } from '../load-job-options';
import { settleJob } from '../settle-job';
import { chunkStore } from '../units/unit-stores';
import type { JobKindDefinition } from './job-kind';

const VERIFY_AFTER = 'always' as const;

/**
 * Re-syncs the rows a verification found different or missing (and deletes confirmed
 * extras), then verifies again: one chunk, created with the job. Short and re-runnable,
 * so it can only be cancelled.
 */
export const repairKind: JobKindDefinition<RepairCursor> = {
  kind: 'repair',
  label: 'repair',
  optionsSchema: repairOptionsSchema,
  planner: null,
  units: {
    jobName: 'repair-rows',
    store: chunkStore,
    cursorSchema: z.tuple([z.number().int()]),
    process: async (run) => {
      const options = await loadJobOptions(repairOptionsSchema, run.jobId);
      return options ? repairRows(run, options) : { skipped: 'job deleted' };
    },
    deliveredBy: 'queue',
  },
  ownsErrorRows: true,
  parentLink: { before: 'Follows ', after: '' },
  pausable: false,
  afterControl: null,
  copiesRows: true,
  verification: VERIFY_AFTER,
  settle: (jobId) => settleJob(jobId, VERIFY_AFTER, 'at-start'),
};
