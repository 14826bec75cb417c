import { prisma } from '../db/client';

/**
 * Where a job's failed rows stand now. The one source of these numbers for the banner,
 * the counters and the lists: a replay lands rows after the job has settled, so what the
 * job counted when it finished ("909 did not land") is history, not the current state.
 */
export interface FailedRows {
  /** Always open + resolved. */
  failed: number;
  /** Still failing: the job's error list. */
  open: number;
  /** Landed later, by a replay or one at a time from the error list. */
  resolved: number;
  /** Who landed them, most first: a replay job, or null for rows replayed one at a time (or by a replay since deleted). */
  resolvedBy: { jobId: string | null; rows: number; how?: 'retried' | 'dismissed' }[];
}

/** What a replay did with the rows it was given, as its own page tells it. */
export interface ReplayOutcome {
  parentJobId: string;
  tried: number;
  landed: number;
  failedAgain: number;
  /** Of those that failed again: still open on the parent with this replay's reason. */
  stillOpen: number;
  /** Of those that failed again: tried again since (by a later replay or by hand). */
  retriedLater: number;
}

/** The failed rows of jobs that own error rows, counted from the error rows themselves. */
export async function failedRowsOf(jobIds: string[]): Promise<Map<string, FailedRows>> {
  const result = new Map<string, FailedRows>(jobIds.map((id) => [id, { failed: 0, open: 0, resolved: 0, resolvedBy: [] }]));
  if (jobIds.length === 0) return result;
  // A sync resolves its own rows when a later run lands them; an admin may dismiss them.
  const groups = await prisma().$queryRaw<{ job_id: string; resolved_by: string | null; open: boolean; how: 'retried' | 'dismissed' | null; rows: number }[]>`
    SELECT job_id, resolved_by_job_id AS resolved_by, resolved_at IS NULL AS open,
           CASE WHEN dismissed_at IS NOT NULL THEN 'dismissed' WHEN resolved_by_job_id = job_id THEN 'retried' END AS how,
           count(*)::int AS rows
      FROM error_rows
     WHERE job_id = ANY(${jobIds}::text[])
     GROUP BY 1, 2, 3, 4`;
  for (const g of groups) {
    const summary = result.get(g.job_id);
    if (!summary) continue;
    summary.failed += g.rows;
    if (g.open) {
      summary.open += g.rows;
    } else {
      summary.resolved += g.rows;
      summary.resolvedBy.push({ jobId: g.resolved_by, rows: g.rows, ...(g.how ? { how: g.how } : {}) });
    }
  }
  for (const summary of result.values()) summary.resolvedBy.sort((a, b) => b.rows - a.rows);
  return result;
}

/**
 * A replay's outcome: what it tried, landed and failed again (its own counters), and where
 * the rows that failed again stand now on the parent. Scoped to the parent's error rows,
 * which the replay touched by resolving them or recording its reason on them.
 */
export async function replayOutcomeOf(replayJobId: string, parentJobId: string, totals: { read: number; failed: number }): Promise<ReplayOutcome> {
  const [landed, stillOpen] = await Promise.all([
    prisma().errorRow.count({ where: { jobId: parentJobId, resolvedByJobId: replayJobId } }),
    prisma().errorRow.count({ where: { jobId: parentJobId, lastReplayJobId: replayJobId, resolvedAt: null } }),
  ]);
  return {
    parentJobId,
    tried: totals.read,
    landed,
    failedAgain: totals.failed,
    stillOpen,
    retriedLater: Math.max(0, totals.failed - stillOpen),
  };
}

const shortId = (id: string) => id.slice(0, 8);

/** "160 landed after replay 1a2b3c4d, 3 landed when replayed one at a time" */
function describeResolvers(resolvedBy: FailedRows['resolvedBy']): string {
  return resolvedBy
    .map((r) =>
      r.how === 'dismissed'
        ? `${r.rows} dismissed by an admin`
        : `${r.rows} landed ${r.how === 'retried' ? 'when retried by a later run' : r.jobId ? `after replay ${shortId(r.jobId)}` : 'when replayed one at a time'}`,
    )
    .join(', ');
}

/** The failed rows of a job as its banner says them, with the same numbers as its counters and list. */
export function describeFailedRows(rows: FailedRows): string {
  if (rows.resolved === 0) return `${rows.failed} row(s) did not land; they are listed as error rows`;
  if (rows.open === 0) {
    const all = rows.resolvedBy.some((r) => r.how === 'dismissed') ? 'none is open now' : 'all have landed since';
    return `${rows.failed} row(s) did not land at first; ${all}: ${describeResolvers(rows.resolvedBy)}`;
  }
  return `${rows.failed} row(s) did not land: ${rows.open} still open, listed as error rows; ${describeResolvers(rows.resolvedBy)}`;
}

/** A replay's banner: its own outcome, and where the rows that failed again are. */
export function describeReplayOutcome(outcome: ReplayOutcome): string {
  const head = `Replayed ${outcome.tried} row(s) of job ${shortId(outcome.parentJobId)}: ${outcome.landed} landed, ${outcome.failedAgain} failed again`;
  if (outcome.failedAgain === 0) return head;
  if (outcome.retriedLater === 0) return `${head}; they stay open as error rows of that job, listed below`;
  return `${head}; ${outcome.stillOpen} stay open as error rows of that job (listed below), ${outcome.retriedLater} were tried again since`;
}
