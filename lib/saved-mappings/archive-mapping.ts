import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import { finalStatuses } from '../jobs/job-state';

const SHOWN_JOBS = 5;

/**
 * Archives a mapping (DELETE /api/mappings/[id]): it leaves the lists and can start no job
 * and take no version until restored, and keeps everything it ran (versions, jobs, error
 * rows, reports, corrections). Erasing it for good is purgeMapping, an admin's typed act.
 *
 * Refused while any of its jobs is not finished, paused ones included: a paused job still
 * holds its target table and writes again when resumed, so the mapping is not done.
 * The row is locked first, so a job start at the same moment (mapping-archive-guard.ts)
 * either lands before and is seen here, or waits and then finds the mapping archived.
 */
export async function archiveMapping(actor: Actor, mappingId: string) {
  const archived = await prisma().$transaction(async (tx) => {
    const [mapping] = await tx.$queryRaw<{ name: string; archived_at: Date | null }[]>`
      SELECT name, archived_at FROM mappings WHERE id = ${mappingId} FOR UPDATE`;
    if (!mapping) throw notFound('Mapping');
    if (mapping.archived_at) throw new AppError('conflict', `Mapping "${mapping.name}" is already archived`);
    const active = await tx.job.findMany({
      where: { mappingId, status: { notIn: [...finalStatuses] } },
      orderBy: { createdAt: 'asc' },
      select: { id: true, kind: true, status: true },
    });
    if (active.length > 0) {
      const named = active.slice(0, SHOWN_JOBS).map((j) => `${j.kind} job ${j.id} (${j.status.replace(/_/g, ' ')})`);
      const more = active.length > SHOWN_JOBS ? ` and ${active.length - SHOWN_JOBS} more` : '';
      throw new AppError(
        'conflict',
        `Mapping "${mapping.name}" cannot be archived while its jobs are not finished: ${named.join(', ')}${more}. Cancel them or let them finish first (a paused job counts: it writes again when resumed).`,
      );
    }
    return tx.mapping.update({
      where: { id: mappingId },
      data: { archivedAt: new Date(), archivedById: actor.id },
      select: { id: true, name: true, archivedAt: true },
    });
  });
  await recordAudit(actor, 'mapping.archive', 'mapping', mappingId, { name: archived.name, archived: false }, { name: archived.name, archived: true });
  return { ...archived, archivedBy: { id: actor.id, email: actor.email, name: actor.name } };
}
