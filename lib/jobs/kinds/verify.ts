import { z } from 'zod';
import { planVerify } from '../../consistency/plan-verify';
import { settleVerify } from '../../consistency/settle-verify';
import { verifyRange } from '../../consistency/verify-range';
import { verifyOptionsSchema } from '../../schemas/job-request';
import { enqueueUnits } from '../units/enqueue-units';
import { rangeStore } from '../units/unit-stores';
import type { JobKindDefinition } from './job-kind';

/**
 * Compares the mapped source with the target by key range and scores it. Short and
 * re-runnable, so it can only be cancelled; a range that stops compares again from its start.
 */
export const verifyKind: JobKindDefinition<null> = {
  kind: 'verify',
  label: 'verification',
  optionsSchema: verifyOptionsSchema,
  planner: { jobName: 'plan-verify', plan: (jobId) => planVerify(verifyKind, jobId) },
  units: {
    jobName: 'verify-range',
    store: rangeStore,
    cursorSchema: z.null(),
    process: verifyRange,
    deliveredBy: 'queue',
  },
  ownsErrorRows: false,
  parentLink: { before: 'Follows ', after: '' },
  pausable: false,
  afterControl: null,
  copiesRows: false,
  verification: 'own',
  // Settling may open the extras pass: its ranges are enqueued here.
  settle: (jobId) => settleVerify(jobId, (rangeIds) => enqueueUnits(verifyKind, jobId, rangeIds)),
};
