import { z } from 'zod';
import { route } from '@/app/_server/route';
import { bodyLimits } from '@/lib/http/read-json-body';
import { listMappings } from '@/lib/saved-mappings/list-mappings';
import { createMapping } from '@/lib/saved-mappings/save-mapping';
import { createMappingSchema } from '@/lib/schemas/mapping-request';

// Active mappings by default; `archived=true` lists the archived ones (the list page's "Archived" tab).
const listQuery = z.object({ archived: z.enum(['true', 'false']).optional() });

export const GET = route({ permission: 'read', query: listQuery }, async ({ query }) => ({
  mappings: await listMappings({ archived: query.archived === 'true' }),
}));

export const POST = route({ permission: 'mappings:write', body: createMappingSchema, maxBodyBytes: bodyLimits.mappingSpec }, async ({ actor, body }) => {
  const { warnings, ...mapping } = await createMapping(actor, body);
  return { mapping, warnings };
});
