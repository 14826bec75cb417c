import { enqueue } from '../queue/enqueue';
import type { JobKindDefinition } from './kinds/job-kind';

/** The BullMQ id of a job's planner: one per job, so enqueuing twice is harmless. */
export const plannerQueueJobId = (jobName: string, jobId: string) => `${jobName}-${jobId}`;

/** Hands a new job of a planned kind to its planner. */
export async function enqueuePlanner(definition: Pick<JobKindDefinition, 'kind' | 'planner'>, jobId: string): Promise<void> {
  if (!definition.planner) throw new Error(`Jobs of kind ${definition.kind} have no planner`);
  await enqueue(definition.planner.jobName, { jobId }, jobId);
}
