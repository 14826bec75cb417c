import { prisma } from '../db/client';

/** Who archived a mapping (null once that user is deleted). */
export type ArchivedBy = { id: string; email: string; name: string } | null;

/** Users by id, for the "archived by" of mappings (archivedById is a plain column, kept when the user goes). */
export async function archivedByUsers(ids: (string | null)[]): Promise<Map<string, NonNullable<ArchivedBy>>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map();
  const users = await prisma().user.findMany({ where: { id: { in: wanted } }, select: { id: true, email: true, name: true } });
  return new Map(users.map((u) => [u.id, u]));
}

/**
 * The mappings list: the active ones by name (the default, and what pickers for new jobs
 * offer), or the archived ones, most recently archived first, with who archived them.
 */
export async function listMappings(options: { archived?: boolean } = {}) {
  const archived = options.archived ?? false;
  const mappings = await prisma().mapping.findMany({
    where: { archivedAt: archived ? { not: null } : null },
    orderBy: archived ? [{ archivedAt: 'desc' }, { name: 'asc' }] : { name: 'asc' },
    select: {
      id: true,
      name: true,
      sourceTable: true,
      targetTable: true,
      latestVersion: true,
      updatedAt: true,
      archivedAt: true,
      archivedById: true,
      sourceConnection: { select: { id: true, name: true } },
      targetConnection: { select: { id: true, name: true } },
    },
  });
  const users = await archivedByUsers(mappings.map((m) => m.archivedById));
  return mappings.map(({ archivedById, ...m }) => ({ ...m, archivedBy: (archivedById && users.get(archivedById)) || null }));
}
export type MappingListItem = Awaited<ReturnType<typeof listMappings>>[number];
