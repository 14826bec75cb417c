import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';

/** Brings an archived mapping back (POST /api/mappings/[id]/restore): listed again, jobs and versions allowed. */
export async function restoreMapping(actor: Actor, mappingId: string) {
  const mapping = await prisma().mapping.findUnique({ where: { id: mappingId }, select: { name: true, archivedAt: true } });
  if (!mapping) throw notFound('Mapping');
  // Conditional, so a restore and a purge at the same moment cannot both succeed.
  const { count } = await prisma().mapping.updateMany({ where: { id: mappingId, archivedAt: { not: null } }, data: { archivedAt: null, archivedById: null } });
  if (count === 0) throw new AppError('conflict', `Mapping "${mapping.name}" is not archived`);
  await recordAudit(actor, 'mapping.restore', 'mapping', mappingId, { name: mapping.name, archived: true }, { name: mapping.name, archived: false });
  return { id: mappingId, name: mapping.name, archivedAt: null };
}
