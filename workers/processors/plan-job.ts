import type { JobKindDefinition } from '@/lib/jobs/kinds/job-kind';
import { plannerPayloadSchema } from '@/lib/queue/job-names';
import type { Processor } from '../registry';

/** A kind's planner job: parse the payload, let the kind plan (lib/). */
export const planJob =
  (planner: NonNullable<JobKindDefinition['planner']>): Processor =>
  async ({ job }) => {
    const { jobId } = plannerPayloadSchema.parse(job.data);
    return planner.plan(jobId);
  };
