import assert from 'node:assert/strict';
import type pg from 'pg';
import type { Actor } from '@/lib/auth/roles';
import { listDiffs } from '@/lib/consistency/list-diffs';
import { getJobConsistency } from '@/lib/consistency/report-view';
import { disconnectPrisma, prisma } from '@/lib/db/client';
import { startVerify } from '@/lib/jobs/start-verify';
import { closeQueue } from '@/lib/queue/enqueue';
import { closeProducerRedis } from '@/lib/queue/redis';
import type { ConsistencyDiffView, ConsistencyReportView, StartVerifyRequest } from '@/lib/schemas/consistency';
import { freshPgDatabase, testAdmin, testConnection, testMapping } from './fixtures';
import type { SpawnedWorker } from './spawn-worker';
import { expectEventually, waitForJob } from './wait';

/** The test admin and fresh source and target PostgreSQL databases, with clients to seed them. */
export async function freshPgPair(sourceDb: string, targetDb: string): Promise<{ actor: Actor; source: pg.Client; target: pg.Client }> {
  const actor = await testAdmin();
  const source = await freshPgDatabase(sourceDb);
  const target = await freshPgDatabase(targetDb);
  return { actor, source, target };
}

/** A mapping between tables of two PostgreSQL test databases (their connections are created once). */
export async function pgMapping(actor: Actor, sourceDb: string, targetDb: string, name: string, spec: unknown) {
  const src = await testConnection(actor, 'postgres', sourceDb);
  const tgt = await testConnection(actor, 'postgres', targetDb);
  return testMapping(actor, name, src.id, tgt.id, spec);
}

/**
 * The end of a verify test file: stops its workers (SIGTERM unless told), then closes its
 * database clients in order, the queue, Redis and Prisma, so the process can exit.
 */
export async function closeVerifyTest(workers: SpawnedWorker[], clients: ({ end(): Promise<void> } | undefined)[], signal?: NodeJS.Signals) {
  await Promise.all(workers.map((w) => w.stop(signal)));
  for (const client of clients) await client?.end();
  await closeQueue();
  await closeProducerRedis();
  await disconnectPrisma();
}

/** Waits for a verify job to complete and returns its report. */
export async function completedReport(jobId: string, timeoutMs = 120_000): Promise<ConsistencyReportView> {
  const status = await waitForJob(jobId, undefined, timeoutMs);
  const stopReason = (await prisma().job.findUniqueOrThrow({ where: { id: jobId }, select: { stopReason: true } })).stopReason;
  assert.equal(status, 'completed', `verify job ${jobId} ended ${status}: ${stopReason}`);
  const { report } = await getJobConsistency(jobId);
  assert.ok(report, 'a finished verify job has a report');
  return report;
}

/** Starts a verification, waits for it to finish and returns its report. */
export async function verifyNow(actor: Actor, mappingId: string, request: StartVerifyRequest = {}): Promise<ConsistencyReportView> {
  const job = await startVerify(actor, mappingId, request);
  return completedReport(job.id);
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

/** The verification a job (migration or repair) started when it settled, once completed. */
export function verificationAfter(jobId: string): Promise<ConsistencyReportView> {
  return expectEventually(
    async () => {
      const { report } = await getJobConsistency(jobId);
      if (!report || report.status !== 'completed') throw new Error(`verification after ${jobId}: ${report?.status ?? 'not started'}`);
      return report;
    },
    { timeoutMs: 120_000, intervalMs: 250 },
  );
}
