import { z } from 'zod';
import { replayChunk, type ReplayCursor } from '../../engine/replay-chunk';
import { replayOptionsSchema } from '../../schemas/job-request';
import { loadJobOptions } from '../load-job-options';
import { settleJob } from '../settle-job';
import { chunkStore } from '../units/unit-stores';
import type { JobKindDefinition } from './job-kind';

const VERIFY_AFTER = 'never' as const;

/** Sends a finished job's error rows through the mapping's latest version: one chunk, created with the job. */
export const replayKind: JobKindDefinition<ReplayCursor> = {
  kind: 'replay',
  label: 'replay',
  optionsSchema: replayOptionsSchema,
  planner: null,
  units: {
    jobName: 'replay-chunk',
    store: chunkStore,
    cursorSchema: z.tuple([z.number().int()]),
    process: async (run) => {
      const options = await loadJobOptions(replayOptionsSchema, run.jobId);
      return options ? replayChunk(run, options) : { skipped: 'job deleted' };
    },
    deliveredBy: 'queue',
  },
  ownsErrorRows: false,
  parentLink: { before: 'Replays the error rows of ', after: ' — their reasons and resolutions are updated there.' },
  pausable: true,
  afterControl: null,
  copiesRows: true,
  verification: VERIFY_AFTER,
  settle: (jobId) => settleJob(jobId, VERIFY_AFTER, 'at-start'),
};
