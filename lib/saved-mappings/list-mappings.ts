import { prisma } from '../db/client';

export async function listMappings() {
  const mappings = await prisma().mapping.findMany({
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      sourceTable: true,
      targetTable: true,
      latestVersion: true,
      updatedAt: true,
      sourceConnection: { select: { id: true, name: true } },
      targetConnection: { select: { id: true, name: true } },
    },
  });
  return mappings;
}
export type MappingListItem = Awaited<ReturnType<typeof listMappings>>[number];
