import { route } from '@/app/_server/route';
import { listMappings } from '@/lib/saved-mappings/list-mappings';
import { createMapping } from '@/lib/saved-mappings/save-mapping';
import { createMappingSchema } from '@/lib/schemas/mapping-request';

export const GET = route({ permission: 'read' }, async () => ({ mappings: await listMappings() }));

export const POST = route({ permission: 'mappings:write', body: createMappingSchema }, async ({ actor, body }) => {
  const { warnings, ...mapping } = await createMapping(actor, body);
  return { mapping, warnings };
});
