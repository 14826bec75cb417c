import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';

export async function deleteMapping(actor: Actor, mappingId: string) {
  const mapping = await prisma().mapping.findUnique({ where: { id: mappingId }, select: { name: true } });
  if (!mapping) throw notFound('Mapping');
  const active = await prisma().job.count({ where: { mappingId, status: { notIn: ['completed', 'completed_with_errors', 'failed', 'cancelled'] } } });
  if (active > 0) throw new AppError('conflict', 'This mapping has jobs that are not finished; cancel them first');
  await prisma().mapping.delete({ where: { id: mappingId } });
  await recordAudit(actor, 'mapping.delete', 'mapping', mappingId, { name: mapping.name }, null);
}
