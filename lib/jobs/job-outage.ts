import { prisma } from '../db/client';
import { Prisma } from '../db/generated/client';
import { jobConditionSchema, type JobCondition } from '../schemas/job-condition';
import type { OutageCause } from './classify-job-failure';
import { failJob } from './fail-job';
import type { JobStatus } from './job-state';
import { probeJobDatabases } from './probe-job-databases';
import { recordEvent } from './record-event';

/**
 * A database that is unreachable or refuses logins is a condition of the whole job, not
 * a failure of each unit: one unit meets it, names it (after asking both databases which
 * one is failing), and every unit then waits behind one job-level backoff. The first
 * delivery past `nextAt` probes again for everyone; when the database answers, the job
 * continues by itself. Past the job's waiting window it pauses with the cause named, so an
 * admin can resume it once the database is back.
 */

/** Pauses between probes: short at first (a restart), then once a minute. */
const BACKOFF_MS = [5_000, 10_000, 20_000, 40_000, 60_000];
export const backoffMs = (attempt: number) => BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length) - 1];

/** How long a job waits for a database by default (its `waitForDatabaseMinutes` option overrides it). */
export const defaultOutageWaitMs = () => Number(process.env.FERRY_OUTAGE_WAIT_MS ?? 10 * 60_000);

const causeWords: Record<OutageCause, string> = {
  unreachable: 'is unreachable',
  refuses_login: 'refuses login',
  unavailable: 'is not accepting connections',
};

export interface JobGate {
  status: JobStatus | null;
  condition: JobCondition | null;
  waitMs: number;
  /** Units of the job that may run at once across all workers (`maxParallelChunks`; 0: no limit). */
  parallelLimit: number;
}

/** The job's status, its condition, its waiting window and its parallel limit, in one round trip. */
export async function readJobGate(jobId: string): Promise<JobGate> {
  const [row] = await prisma().$queryRaw<{ status: JobStatus; condition: unknown; wait_minutes: number | null; parallel_limit: number | null }[]>`
    SELECT status, condition, (options->>'waitForDatabaseMinutes')::float8 AS wait_minutes,
           (options->>'maxParallelChunks')::int AS parallel_limit
      FROM jobs WHERE id = ${jobId}`;
  if (!row) return { status: null, condition: null, waitMs: defaultOutageWaitMs(), parallelLimit: 0 };
  const parsed = row.condition == null ? null : jobConditionSchema.safeParse(row.condition);
  return {
    status: row.status,
    condition: parsed?.success ? parsed.data : null,
    waitMs: row.wait_minutes != null ? row.wait_minutes * 60_000 : defaultOutageWaitMs(),
    parallelLimit: row.parallel_limit ?? 0,
  };
}

const writeCondition = (condition: JobCondition | null) => (condition ? Prisma.sql`${JSON.stringify(condition)}::jsonb` : Prisma.sql`NULL`);

/**
 * A unit met an outage: returns when to try again, or null when both databases answer
 * now (a dropped connection, not an outage: the caller retries as usual).
 */
export async function enterOutage(jobId: string, cause: OutageCause, detail: string, waitMs: number): Promise<Date | null> {
  const probe = await probeJobDatabases(jobId);
  if (!probe) return null;
  const now = Date.now();
  const condition: JobCondition = {
    state: 'waiting',
    reason: `${probe.side} ${causeWords[probe.cause ?? cause]}: ${probe.message}`,
    side: probe.side,
    since: new Date(now).toISOString(),
    attempt: 1,
    maxAttempts: null,
    nextAt: new Date(now + backoffMs(1)).toISOString(),
    giveUpAt: new Date(now + waitMs).toISOString(),
  };
  const entered = await prisma().$executeRaw`
    UPDATE jobs SET condition = ${writeCondition(condition)}
     WHERE id = ${jobId} AND status = 'running' AND (condition IS NULL OR condition->>'state' <> 'waiting')`;
  if (entered === 1) {
    await recordEvent(
      jobId,
      'waiting',
      `Waiting: ${condition.reason}. Every ${probe.side === 'source' ? 'read' : 'write'} waits; the job continues by itself when it answers, and pauses at ${(condition.giveUpAt ?? condition.nextAt).slice(11, 19)} UTC if it does not`,
      { side: probe.side, detail: detail.slice(0, 500) },
      'warn',
    );
    return new Date(condition.nextAt);
  }
  const current = (await readJobGate(jobId)).condition;
  return current?.state === 'waiting' ? new Date(current.nextAt) : new Date(now + backoffMs(1));
}

export type GateDecision = { go: true } | { go: false; deferUntil: Date } | { go: false; paused: string };

/**
 * Before a unit claims its work: while the job waits for a database, the unit waits too.
 * The first delivery after `nextAt` takes the probe (a conditional update, so one probes
 * for all); the others come back after it.
 */
export async function passOutageGate(jobId: string, gate: JobGate, pausable: boolean): Promise<GateDecision> {
  const { condition } = gate;
  if (!condition || condition.state !== 'waiting') return { go: true };
  const now = Date.now();
  if (new Date(condition.nextAt).getTime() > now) return { go: false, deferUntil: new Date(condition.nextAt) };

  const probing = { ...condition, nextAt: new Date(now + 15_000).toISOString() };
  const taken = await prisma().$executeRaw`
    UPDATE jobs SET condition = ${writeCondition(probing)}
     WHERE id = ${jobId} AND condition->>'state' = 'waiting' AND condition->>'nextAt' = ${condition.nextAt}`;
  if (taken !== 1) {
    const current = (await readJobGate(jobId)).condition;
    return current?.state === 'waiting' ? { go: false, deferUntil: new Date(current.nextAt) } : { go: true };
  }

  const probe = await probeJobDatabases(jobId);
  if (!probe) {
    const cleared = await prisma().$executeRaw`UPDATE jobs SET condition = NULL WHERE id = ${jobId} AND condition->>'state' = 'waiting'`;
    if (cleared === 1) {
      const seconds = Math.round((now - new Date(condition.since).getTime()) / 1000);
      await recordEvent(jobId, 'recovered', `The ${condition.side ?? 'database'} answers again after ${seconds} s of waiting; the job continues`, { seconds });
    }
    return { go: true };
  }

  if (now >= new Date(condition.giveUpAt ?? condition.nextAt).getTime()) {
    const waitedMinutes = Math.round((now - new Date(condition.since).getTime()) / 60_000);
    const cause = `${condition.side ?? 'a database'} ${causeWords[probe.cause ?? 'unreachable']} (since ${condition.since.slice(11, 19)} UTC): ${probe.message}`;
    if (!pausable) {
      // Kinds that cannot pause (verification) are short and re-runnable: they fail with the cause.
      await failJob(jobId, `Failed after waiting ${waitedMinutes} min: ${cause}`, 'Start it again once the database answers');
      return { go: false, paused: cause };
    }
    const reason = `Paused after waiting ${waitedMinutes} min: ${cause}. Fix it, then resume: every chunk continues from its checkpoint`;
    const paused = await prisma().$executeRaw`
      UPDATE jobs SET status = 'pausing', stop_reason = ${reason}, condition = NULL WHERE id = ${jobId} AND status = 'running'`;
    if (paused === 1) await recordEvent(jobId, 'gave_up_waiting', reason, { side: condition.side }, 'error');
    return { go: false, paused: reason };
  }

  const attempt = condition.attempt + 1;
  const next: JobCondition = {
    ...condition,
    reason: `${probe.side} ${causeWords[probe.cause ?? 'unreachable']}: ${probe.message}`,
    side: probe.side,
    attempt,
    nextAt: new Date(now + backoffMs(attempt)).toISOString(),
  };
  await prisma().$executeRaw`UPDATE jobs SET condition = ${writeCondition(next)} WHERE id = ${jobId} AND condition->>'state' = 'waiting'`;
  return { go: false, deferUntil: new Date(next.nextAt) };
}
