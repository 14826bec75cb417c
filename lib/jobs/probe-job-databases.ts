import { prisma } from '../db/client';
import { cachedConnector } from '../engine/connector-cache';
import type { OutageCause } from './classify-job-failure';

export interface FailingDatabase {
  side: 'source' | 'target';
  cause: OutageCause | null;
  /** The connection test's sentence ("Authentication failed for user crm: wrong user name or password"). */
  message: string;
}

/** How long a probe may take: a database that does not answer in this time is unreachable. */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * Asks both databases of a job, each on a fresh short-lived connection, whether they
 * answer. A driver error mid-copy rarely says which side it came from, and the
 * connection test's classified sentence is what an operator can act on.
 */
export async function probeJobDatabases(jobId: string): Promise<FailingDatabase | null> {
  const job = await prisma().job.findUnique({
    where: { id: jobId },
    select: { mapping: { select: { sourceConnectionId: true, targetConnectionId: true } } },
  });
  if (!job) return null;
  const sides = [
    ['source', job.mapping.sourceConnectionId],
    ['target', job.mapping.targetConnectionId],
  ] as const;
  const results = await Promise.all(
    sides.map(async ([side, connectionId]) => {
      try {
        return { side, result: await (await cachedConnector(connectionId)).test(PROBE_TIMEOUT_MS) };
      } catch (error) {
        return { side, result: { ok: false as const, code: 'unknown' as const, message: (error as Error).message } };
      }
    }),
  );
  for (const { side, result } of results) {
    if (result.ok) continue;
    const cause: OutageCause | null =
      result.code === 'auth_failed' ? 'refuses_login' : result.code === 'host_unreachable' || result.code === 'timeout' ? 'unreachable' : null;
    return { side, cause, message: result.message };
  }
  return null;
}
