import { prisma } from '../db/client';

export async function listAudit(options: { entityType?: string; entityId?: string; take?: number; cursor?: number }) {
  return prisma().auditEntry.findMany({
    where: { entityType: options.entityType, entityId: options.entityId },
    orderBy: { id: 'desc' },
    take: Math.min(options.take ?? 100, 500),
    ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
    select: { id: true, at: true, actorEmail: true, action: true, entityType: true, entityId: true, before: true, after: true },
  });
}
