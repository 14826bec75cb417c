import assert from 'node:assert/strict';
import type { Actor } from '@/lib/auth/roles';
import { listDiffs } from '@/lib/consistency/list-diffs';
import { getJobConsistency } from '@/lib/consistency/report-view';
import { prisma } from '@/lib/db/client';
import { startVerify } from '@/lib/jobs/start-verify';
import type { ConsistencyDiffView, ConsistencyReportView, StartVerifyRequest } from '@/lib/schemas/consistency';
import { waitForJob } from './wait';

/** Starts a verification, waits for it to finish and returns its report. */
export async function verifyNow(actor: Actor, mappingId: string, request: StartVerifyRequest = {}): Promise<ConsistencyReportView> {
  const job = await startVerify(actor, mappingId, request);
  const status = await waitForJob(job.id, undefined, 120_000);
  const stopReason = (await prisma().job.findUniqueOrThrow({ where: { id: job.id }, select: { stopReason: true } })).stopReason;
  assert.equal(status, 'completed', `verify job ${job.id} ended ${status}: ${stopReason}`);
  const { report } = await getJobConsistency(job.id);
  assert.ok(report, 'a finished verify job has a report');
  return report;
}

/** Every diff of a report (all pages). */
export async function allDiffs(reportId: string, kind?: ConsistencyDiffView['kind']): Promise<ConsistencyDiffView[]> {
  const out: ConsistencyDiffView[] = [];
  let after: number | undefined;
  for (;;) {
    const page = await listDiffs(reportId, { kind, after, take: 1000 });
    out.push(...page.diffs);
    if (page.next === null) return out;
    after = page.next;
  }
}

/** The six counts of a report view, for exact assertions. */
export { countsOf } from '@/lib/consistency/counts';

/** Key parts of diffs, sorted, for exact assertions. */
export const keysOf = (diffs: ConsistencyDiffView[]) => diffs.map((d) => d.key.map(String).join('/')).sort();
