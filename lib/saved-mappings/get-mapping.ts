import { prisma } from '../db/client';
import { notFound } from '../errors';
import { mappingSpecSchema } from '../schemas/mapping-spec';
import { archivedByUsers } from './list-mappings';

/** A mapping with one version's spec (the latest unless asked) and the version history; archived ones too, saying so. */
export async function getMapping(id: string, version?: number) {
  const mapping = await prisma().mapping.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      sourceTable: true,
      targetTable: true,
      latestVersion: true,
      archivedAt: true,
      archivedById: true,
      createdAt: true,
      updatedAt: true,
      sourceConnection: { select: { id: true, name: true, kind: true } },
      targetConnection: { select: { id: true, name: true, kind: true } },
      versions: {
        orderBy: { version: 'desc' },
        select: { version: true, comment: true, createdAt: true, createdBy: { select: { email: true } } },
      },
    },
  });
  if (!mapping) throw notFound('Mapping');
  const wanted = version ?? mapping.latestVersion;
  const row = await prisma().mappingVersion.findUnique({ where: { mappingId_version: { mappingId: id, version: wanted } }, select: { spec: true } });
  if (!row) throw notFound(`Version ${wanted}`);
  const { archivedById, ...rest } = mapping;
  const archivedBy = archivedById ? ((await archivedByUsers([archivedById])).get(archivedById) ?? null) : null;
  return {
    ...rest,
    archivedBy,
    versions: mapping.versions.map((v) => ({ version: v.version, comment: v.comment, createdAt: v.createdAt, createdBy: v.createdBy?.email ?? null })),
    version: wanted,
    spec: mappingSpecSchema.parse(row.spec),
  };
}
export type MappingDetail = Awaited<ReturnType<typeof getMapping>>;
