import { UnrecoverableError } from 'bullmq';
import { prisma } from '../db/client';
import { Prisma } from '../db/generated/client';
import { defaultJobOptions } from '../queue/enqueue';
import type { JobCondition } from '../schemas/job-condition';
import { classifyPlannerFailure } from './classify-job-failure';
import { failJob } from './fail-job';
import { readJobGate } from './job-outage';
import type { JobKindDefinition } from './kinds/job-kind';
import { recordEvent } from './record-event';

/** What the worker process tells the planner's lifecycle about this delivery. */
export interface PlannerDelivery {
  jobId: string;
  /** BullMQ's attempts before this one, and allowed. */
  attemptsMade: number;
  maxAttempts: number;
  /** Called when an attempt fails (e.g. to drop connections that timed out). */
  onError?(error: unknown): void;
}

/** When BullMQ runs the next attempt: its exponential backoff after `failedAttempts` failures. */
function nextAttemptAt(failedAttempts: number): Date {
  const backoff = defaultJobOptions.backoff;
  const delay = typeof backoff === 'object' && backoff.delay ? backoff.delay : 1000;
  return new Date(Date.now() + 2 ** (failedAttempts - 1) * delay);
}

/**
 * The lifecycle of every kind's planner. A failed attempt is never silent: it is an
 * event with the reason, and the job shows "retrying: <reason> (attempt n of N, next at …)".
 * Errors a retry cannot fix (a refused login, a missing database, table or column, no
 * permission, a TRUNCATE refused by a foreign key) fail the job at once with what to do,
 * and so does the last attempt: a job never sits in "planning" without a reason.
 */
export async function runPlanner(planner: NonNullable<JobKindDefinition['planner']>, delivery: PlannerDelivery): Promise<unknown> {
  const { jobId } = delivery;
  try {
    const result = await planner.plan(jobId);
    await prisma().$executeRaw`UPDATE jobs SET condition = NULL WHERE id = ${jobId} AND condition->>'state' = 'retrying'`;
    return result;
  } catch (error) {
    delivery.onError?.(error);
    // The planner failed the job itself (a mapping that no longer fits): nothing to add.
    if (error instanceof UnrecoverableError) throw error;
    const failure = classifyPlannerFailure(error);
    const attempt = delivery.attemptsMade + 1;
    if (failure.kind === 'unrecoverable') {
      await failJob(jobId, `Planning failed: ${failure.reason}`, failure.hint);
      throw new UnrecoverableError(failure.reason);
    }
    if (attempt >= delivery.maxAttempts) {
      await failJob(
        jobId,
        `Planning failed ${attempt} times; last: ${failure.reason}`,
        'Check that both connections answer (Connections page, "Test"), then start the job again',
      );
      throw new UnrecoverableError(failure.reason);
    }
    const previous = (await readJobGate(jobId)).condition;
    const nextAt = nextAttemptAt(attempt);
    const condition: JobCondition = {
      state: 'retrying',
      reason: `planning failed: ${failure.reason}`,
      side: null,
      since: previous?.state === 'retrying' ? previous.since : new Date().toISOString(),
      attempt,
      maxAttempts: delivery.maxAttempts,
      nextAt: nextAt.toISOString(),
      giveUpAt: null,
    };
    const updated = await prisma().$executeRaw`
      UPDATE jobs SET condition = ${Prisma.sql`${JSON.stringify(condition)}::jsonb`}
       WHERE id = ${jobId} AND status::text IN ('queued', 'planning')`;
    if (updated === 1) {
      await recordEvent(
        jobId,
        'planner_retry',
        `Planning attempt ${attempt} of ${delivery.maxAttempts} failed: ${failure.reason}; next attempt at ${nextAt.toISOString().slice(11, 19)} UTC`,
        { attempt, maxAttempts: delivery.maxAttempts },
        'warn',
      );
    }
    throw error;
  }
}
