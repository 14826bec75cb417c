import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';

export const purgeMappingSchema = z.object({
  /** The mapping's name, typed by the admin: nothing is erased by a click or a stray request. */
  confirmName: z.string().max(200),
});
export type PurgeMappingRequest = z.infer<typeof purgeMappingSchema>;

/**
 * Erases an archived mapping for good (POST /api/mappings/[id]/purge, admins only): its
 * versions, jobs with their error rows (the only copy of the source rows that failed),
 * events, reports and corrections. Only archived mappings, so it is always a second step
 * after archiving, and only with the mapping's name typed exactly. The audit entry stays.
 */
export async function purgeMapping(actor: Actor, mappingId: string, request: PurgeMappingRequest) {
  const mapping = await prisma().mapping.findUnique({
    where: { id: mappingId },
    select: { name: true, archivedAt: true, latestVersion: true, sourceTable: true, targetTable: true },
  });
  if (!mapping) throw notFound('Mapping');
  if (!mapping.archivedAt) throw new AppError('conflict', `Mapping "${mapping.name}" is not archived; archive it first, then erase it`);
  if (request.confirmName !== mapping.name) {
    throw new AppError('validation_failed', `Erasing "${mapping.name}" deletes its jobs, error rows and reports for good; type its name to confirm`, [
      { path: 'body.confirmName', message: `must be the mapping's name, "${mapping.name}", to confirm` },
    ]);
  }
  const counts = await prisma().$transaction(
    async (tx) => {
      // Locked and checked again: a restore at the same moment wins, and nothing is erased.
      const [still] = await tx.$queryRaw<{ archived: boolean }[]>`SELECT archived_at IS NOT NULL AS archived FROM mappings WHERE id = ${mappingId} FOR UPDATE`;
      if (!still?.archived) throw new AppError('conflict', `Mapping "${mapping.name}" was restored meanwhile; nothing was erased`);
      const jobs = await tx.job.count({ where: { mappingId } });
      const reports = await tx.consistencyReport.count({ where: { mappingId } });
      // Work tables without a foreign key to the jobs and reports they belong to.
      await tx.$executeRaw`DELETE FROM run_keys WHERE job_no IN (SELECT job_no FROM jobs WHERE mapping_id = ${mappingId})`;
      await tx.$executeRaw`DELETE FROM consistency_keys WHERE report_id IN (SELECT id FROM consistency_reports WHERE mapping_id = ${mappingId})`;
      // Its id map: children resolving through it would point at records no mapping owns any more.
      await tx.$executeRaw`DELETE FROM id_map_ints WHERE map_no = (SELECT id_map_no FROM mappings WHERE id = ${mappingId})`;
      await tx.$executeRaw`DELETE FROM id_map_texts WHERE map_no = (SELECT id_map_no FROM mappings WHERE id = ${mappingId})`;
      // Versions, jobs (chunks, error rows, events), reports (ranges, differences) and corrections cascade.
      await tx.mapping.delete({ where: { id: mappingId } });
      return { jobs, reports };
    },
    // A mapping with millions of error rows takes a while to erase.
    { timeout: 15 * 60_000 },
  );
  await recordAudit(
    actor,
    'mapping.purge',
    'mapping',
    mappingId,
    { name: mapping.name, sourceTable: mapping.sourceTable, targetTable: mapping.targetTable, versions: mapping.latestVersion, ...counts },
    null,
  );
  return { id: mappingId, name: mapping.name, jobsErased: counts.jobs, reportsErased: counts.reports };
}
