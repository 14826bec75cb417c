import { dropConnectionsAfterTimeout } from '@/lib/engine/connector-cache';
import type { JobKindDefinition } from '@/lib/jobs/kinds/job-kind';
import { runPlanner } from '@/lib/jobs/run-planner';
import { plannerPayloadSchema } from '@/lib/queue/job-names';
import type { Processor } from '../registry';

/** A kind's planner job: parse the payload, run the planner's lifecycle (lib/jobs/run-planner.ts). */
export const planJob =
  (planner: NonNullable<JobKindDefinition['planner']>): Processor =>
  async ({ job }) => {
    const { jobId } = plannerPayloadSchema.parse(job.data);
    return runPlanner(planner, {
      jobId,
      attemptsMade: job.attemptsMade,
      maxAttempts: job.opts.attempts ?? 1,
      onError: dropConnectionsAfterTimeout,
    });
  };
