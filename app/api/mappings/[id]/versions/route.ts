import { idParams, route } from '@/app/_server/route';
import { bodyLimits } from '@/lib/http/read-json-body';
import { saveMappingVersion } from '@/lib/saved-mappings/save-mapping';
import { saveMappingVersionSchema } from '@/lib/schemas/mapping-request';

export const POST = route({ permission: 'mappings:write', params: idParams, body: saveMappingVersionSchema, maxBodyBytes: bodyLimits.mappingSpec }, async ({ actor, params, body }) => {
  const { warnings, ...version } = await saveMappingVersion(actor, params.id, body);
  return { version, warnings };
});
