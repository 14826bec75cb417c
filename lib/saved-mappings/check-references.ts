import type { ApiIssue } from '../mapping/check-mapping';
import { prisma } from '../db/client';
import { describeTable } from '../saved-connections/browse-schema';
import { mappingSpecSchema, type MappingSpec } from '../schemas/mapping-spec';

/**
 * The server's checks of a spec's reference fields (FieldMapping.reference), which need the
 * stored mappings: the parent exists and is not archived; through its id map, the field has
 * one source column per column of the parent's source key and the parent's target has a
 * one-column primary key (what the id map records); through a target column, that column
 * exists in the parent's target table. `selfId`: the mapping being saved (it may refer to
 * itself, a hierarchy such as contacts referred by contacts).
 */
export async function checkReferences(spec: MappingSpec, selfId: string | null, specPath = 'body.spec'): Promise<ApiIssue[]> {
  const issues: ApiIssue[] = [];
  for (const [index, field] of spec.fields.entries()) {
    const reference = field.reference;
    if (!reference) continue;
    const path = `${specPath}.fields.${index}.reference`;
    const parent = await prisma().mapping.findUnique({
      where: { id: reference.mapping },
      select: { id: true, name: true, archivedAt: true, targetConnectionId: true, targetTable: true, latestVersion: true, versions: { orderBy: { version: 'desc' }, take: 1, select: { spec: true } } },
    });
    if (!parent || (parent.archivedAt !== null && parent.id !== selfId)) {
      issues.push({ path: `${path}.mapping`, code: 'unknown_mapping', message: 'refers to a mapping that does not exist or is archived' });
      continue;
    }
    const parentSpec = parent.id === selfId ? spec : mappingSpecSchema.safeParse(parent.versions[0]?.spec).data;
    if (!parentSpec) continue;
    const table = await describeTable(parent.targetConnectionId, parent.targetTable).catch(() => null);
    if (reference.by === 'id_map') {
      if (field.sources.length !== parentSpec.source.key.length) {
        issues.push({ path: `${specPath}.fields.${index}.sources`, code: 'reference_key_shape', message: `"${parent.name}" is keyed by ${parentSpec.source.key.join(', ')}: give ${parentSpec.source.key.length} source column(s), in that order` });
      }
      if (table && table.primaryKey.length !== 1) {
        issues.push({ path: `${path}.mapping`, code: 'reference_needs_primary_key', message: `the target table "${parent.targetTable}" of "${parent.name}" has no one-column primary key to refer to` });
      }
    } else if (table && !table.columns.some((c) => c.name === reference.column)) {
      issues.push({ path: `${path}.column`, code: 'unknown_target_column', message: `the target table "${parent.targetTable}" of "${parent.name}" has no column "${reference.column}"` });
    }
  }
  return issues;
}
