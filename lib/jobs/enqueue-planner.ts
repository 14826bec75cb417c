import { enqueue } from '../queue/enqueue';
import type { JobKindDefinition } from './kinds/job-kind';

/** Hands a new job of a planned kind to its planner; its BullMQ id is the planner's name and the job id, so enqueuing twice is harmless. */
export async function enqueuePlanner(definition: Pick<JobKindDefinition, 'kind' | 'planner'>, jobId: string): Promise<void> {
  if (!definition.planner) throw new Error(`Jobs of kind ${definition.kind} have no planner`);
  await enqueue(definition.planner.jobName, { jobId }, jobId);
}
