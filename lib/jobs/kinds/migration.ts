import { z } from 'zod';
import { copyChunk } from '../../engine/copy-chunk';
import { planMigration } from '../../engine/plan-migration';
import { jobOptionsSchema } from '../../schemas/job-request';
import { isFinal } from '../job-state';
import { settleJob } from '../settle-job';
import { chunkStore } from '../units/unit-stores';
import type { JobKindDefinition } from './job-kind';

const VERIFY_AFTER = 'when-enabled' as const;

const keyValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A one-time full load: planned into key-range chunks, copied in parallel, verified when done. */
export const migrationKind: JobKindDefinition<z.infer<typeof keyValueSchema>[]> = {
  kind: 'migration',
  label: 'migration',
  optionsSchema: jobOptionsSchema,
  planner: { jobName: 'plan-migration', plan: (jobId) => planMigration(migrationKind, jobId) },
  units: {
    jobName: 'copy-chunk',
    store: chunkStore,
    // The key of the last source row checkpointed: the next read starts after it.
    cursorSchema: z.array(keyValueSchema),
    process: copyChunk,
    deliveredBy: 'queue',
  },
  ownsErrorRows: true,
  parentLink: { before: 'Follows ', after: '' },
  pausable: true,
  afterControl: null,
  copiesRows: true,
  verification: VERIFY_AFTER,
  settle: async (jobId) => {
    const status = await settleJob(jobId, VERIFY_AFTER, 'planner');
    // A step of a plan run: its dependents may start now. Imported when needed: the plan
    // starts migrations (start-migration.ts), which import this definition.
    if (status !== null && isFinal(status)) await (await import('../../plans/advance-plan-of-job')).advancePlanOfJob(jobId);
    return status;
  },
};
