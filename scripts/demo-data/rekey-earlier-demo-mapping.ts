import type { Actor } from '../../lib/auth/roles';
import { prisma } from '../../lib/db/client';
import { saveMappingVersion } from '../../lib/saved-mappings/save-mapping';
import { mappingSpecSchema } from '../../lib/schemas/mapping-spec';

/**
 * A demo mapping seeded by an earlier version, when the new CRM's contacts.id was the legacy
 * cust_id, writes cust_id into the generated id and leaves legacy_id empty: the plan's
 * contacts (upserted on legacy_id) would then clash with its rows on email. When the mapping's
 * latest version still keys contacts by id fed by cust_id, this saves a version keyed by
 * legacy_id instead, keeping every other edit. True when it saved one.
 */
export async function rekeyEarlierDemoMapping(actor: Actor, mappingName: string): Promise<boolean> {
  const mapping = await prisma().mapping.findUnique({
    where: { name: mappingName },
    select: { id: true, archivedAt: true, targetTable: true, versions: { orderBy: { version: 'desc' }, take: 1, select: { spec: true } } },
  });
  const spec = mappingSpecSchema.safeParse(mapping?.versions[0]?.spec).data;
  if (!mapping || mapping.archivedAt !== null || mapping.targetTable !== 'contacts' || !spec) return false;
  const idField = spec.fields.find((field) => field.target === 'id');
  const keyedById = spec.target.key.length === 1 && spec.target.key[0] === 'id';
  if (!keyedById || !idField || idField.reference || idField.sources.join() !== 'cust_id' || spec.fields.some((field) => field.target === 'legacy_id')) return false;
  await saveMappingVersion(actor, mapping.id, {
    spec: {
      ...spec,
      target: { ...spec.target, key: ['legacy_id'] },
      fields: spec.fields.map((field) => (field === idField ? { ...field, target: 'legacy_id' } : field)),
    },
    comment: 'The new CRM generates contact ids now: keyed by legacy_id, which keeps cust_id.',
  });
  return true;
}
