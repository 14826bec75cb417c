import { enqueue, ferryQueue, queueJobId } from '../queue/enqueue';
import type { JobKindDefinition } from './kinds/job-kind';

/** Hands a new job of a planned kind to its planner; its BullMQ id is the planner's name and the job id, so enqueuing twice is harmless. */
export async function enqueuePlanner(definition: Pick<JobKindDefinition, 'kind' | 'planner'>, jobId: string): Promise<void> {
  if (!definition.planner) throw new Error(`Jobs of kind ${definition.kind} have no planner`);
  await enqueue(definition.planner.jobName, { jobId }, jobId);
}

/**
 * Plans a job again (resumed before its plan existed, or its queue entry lost): the
 * planner's finished BullMQ job would make a new one with the same id a no-op, so it goes
 * first. An attempt still running keeps its entry and plans anyway: the planner's claim
 * accepts a queued job.
 */
export async function replanJob(definition: Pick<JobKindDefinition, 'kind' | 'planner'>, jobId: string): Promise<void> {
  if (!definition.planner) throw new Error(`Jobs of kind ${definition.kind} have no planner`);
  const previous = await ferryQueue().getJob(queueJobId(definition.planner.jobName, jobId));
  if (previous && ['completed', 'failed'].includes(await previous.getState())) await previous.remove().catch(() => undefined);
  await enqueuePlanner(definition, jobId);
}
