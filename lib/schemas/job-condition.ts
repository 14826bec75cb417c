import { z } from 'zod';

/**
 * A job-level condition, shown on the job page while the job is not (yet) failing:
 * - `retrying`: its planner failed and BullMQ retries it (attempt n of N, next at …);
 * - `waiting`: a database the job needs is unreachable or refuses it; every unit waits
 *   behind one job-level backoff instead of spending its own retries.
 * Stored in `jobs.condition`; cleared by the first success.
 */
export const jobConditionSchema = z.object({
  state: z.enum(['retrying', 'waiting']),
  /** What went wrong, in words ("source refuses login: password authentication failed …"). */
  reason: z.string(),
  /** Which side failed, when known. */
  side: z.enum(['source', 'target']).nullable(),
  /** When the condition began (ISO time); unchanged while it lasts. */
  since: z.string(),
  /** Attempts so far, and how many are allowed (null: until `giveUpAt`). */
  attempt: z.number().int().min(1),
  maxAttempts: z.number().int().min(1).nullable(),
  /** When the next attempt starts (ISO time). */
  nextAt: z.string(),
  /** Waiting only: when the job stops waiting and pauses with the cause (ISO time). */
  giveUpAt: z.string().nullable(),
});
export type JobCondition = z.infer<typeof jobConditionSchema>;

/** The condition as a job page line: "retrying: … (attempt 2 of 8, next at 10:42:13)". */
export function describeCondition(condition: JobCondition): string {
  const time = (iso: string) => new Date(iso).toISOString().slice(11, 19);
  if (condition.state === 'retrying') {
    return `retrying: ${condition.reason} (attempt ${condition.attempt}${condition.maxAttempts ? ` of ${condition.maxAttempts}` : ''}, next at ${time(condition.nextAt)} UTC)`;
  }
  return `waiting: ${condition.reason} (since ${time(condition.since)} UTC, next try at ${time(condition.nextAt)} UTC${condition.giveUpAt ? `, pauses at ${time(condition.giveUpAt)} UTC if still failing` : ''})`;
}
