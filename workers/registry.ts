import type { Job } from 'bullmq';
import { definedJobKinds } from '@/lib/jobs/kinds/job-kinds';
import type { JobName } from '@/lib/queue/job-names';
import { planJob } from './processors/plan-job';
import { runUnitJob } from './processors/run-unit-job';

export interface ProcessorContext {
  job: Job;
  token?: string;
  workerId: string;
}

export type Processor = (context: ProcessorContext) => Promise<unknown>;

/** Job name → processor, from the kind definitions: each kind's planner and unit job. */
const processors = new Map<JobName, Processor>(
  definedJobKinds.flatMap((definition) => [
    ...(definition.planner ? [[definition.planner.jobName, planJob(definition.planner)] as const] : []),
    [definition.units.jobName, runUnitJob(definition)] as const,
  ]),
);

export function processorFor(name: string): Processor | undefined {
  return processors.get(name as JobName);
}
