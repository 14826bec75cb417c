import type { JobStatus } from '../db/generated/enums';
import { AppError } from '../errors';

export type { JobStatus };

export const finalStatuses: readonly JobStatus[] = ['completed', 'completed_with_errors', 'failed', 'cancelled'];
export const isFinal = (status: JobStatus) => finalStatuses.includes(status);

/** Legal moves of a job; anything else is refused with a clear 409. */
const transitions: Record<JobStatus, readonly JobStatus[]> = {
  queued: ['planning', 'cancelling', 'cancelled', 'failed'],
  planning: ['running', 'failed', 'cancelling', 'cancelled', 'pausing'],
  running: ['pausing', 'cancelling', 'completed', 'completed_with_errors', 'failed'],
  pausing: ['paused', 'cancelling', 'running', 'failed', 'completed', 'completed_with_errors'],
  // queued: resuming a job paused before its plan existed sends it back to its planner.
  paused: ['running', 'queued', 'cancelling', 'cancelled'],
  cancelling: ['cancelled', 'failed'],
  completed: [],
  completed_with_errors: [],
  failed: [],
  cancelled: [],
};

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return transitions[from].includes(to);
}

export function assertTransition(from: JobStatus, to: JobStatus, action: string): void {
  if (!canTransition(from, to)) {
    throw new AppError('illegal_transition', `Cannot ${action} a job that is ${from.replace(/_/g, ' ')}`);
  }
}

/** What the admin can do from a state; the job page enables only these buttons. */
export function allowedActions(status: JobStatus): ('pause' | 'resume' | 'cancel')[] {
  const actions: ('pause' | 'resume' | 'cancel')[] = [];
  if (status === 'running' || status === 'planning') actions.push('pause');
  if (status === 'paused') actions.push('resume');
  if (!isFinal(status) && status !== 'cancelling') actions.push('cancel');
  return actions;
}
