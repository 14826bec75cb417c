import { prisma } from '../../db/client';
import { Prisma } from '../../db/generated/client';
import { enqueueMany, queueJobId } from '../../queue/enqueue';
import type { JobKindDefinition } from '../kinds/job-kind';

/**
 * Enqueues unit jobs of a kind and remembers which BullMQ job is responsible for each
 * unit, so the sweeper can tell a unit whose queue entry vanished from one still waiting.
 * `generation` makes a fresh BullMQ id (resume, takeover, a unit waiting its turn); without
 * it the id is stable and enqueuing twice is harmless. `delayMs` holds the job back that long.
 *
 * Two round trips whatever the number of units: the planner runs in a worker slot while
 * the first units already run, and a round trip per unit kept that slot busy for over
 * half a second on a busy machine. The ids are recorded before the jobs exist; a sweeper
 * that looks in between re-enqueues under the same id, which BullMQ ignores.
 */
export async function enqueueUnits(
  definition: Pick<JobKindDefinition, 'units'>,
  jobId: string,
  unitIds: string[],
  generation?: string,
  delayMs = 0,
): Promise<void> {
  if (unitIds.length === 0) return;
  const { jobName, store } = definition.units;
  const suffix = generation ? `-${generation}` : '';
  const items = unitIds.map((unitId) => ({ payload: { jobId, unitId }, dedupeId: `${unitId}${suffix}` }));
  await prisma().$executeRaw`
    UPDATE ${Prisma.raw(store.table)} u SET queue_job_id = q.queue_job_id
      FROM unnest(${unitIds}::text[], ${items.map((i) => queueJobId(jobName, i.dedupeId))}::text[]) AS q(id, queue_job_id)
     WHERE u.id = q.id`;
  const priority = await unitPriority(jobId);
  await enqueueMany(jobName, items, { ...(delayMs > 0 ? { delay: delayMs } : {}), ...(priority ? { priority } : {}) });
}

/** The job's queue priority (JobOptions.priority), the same for every enqueue of its units. */
async function unitPriority(jobId: string): Promise<number | undefined> {
  const [row] = await prisma().$queryRaw<{ priority: number | null }[]>`SELECT (options->>'priority')::int AS priority FROM jobs WHERE id = ${jobId}`;
  return row?.priority ?? undefined;
}
