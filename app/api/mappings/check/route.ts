import { route } from '@/app/_server/route';
import { bodyLimits } from '@/lib/http/read-json-body';
import { checkMappingRequest } from '@/lib/saved-mappings/validate-mapping-against-tables';
import { checkMappingSchema } from '@/lib/schemas/mapping-request';

/** The checks a save runs, without saving: `{ errors, warnings }`, each with its field path. */
export const POST = route({ permission: 'read', body: checkMappingSchema, maxBodyBytes: bodyLimits.mappingSpec }, async ({ body }) => checkMappingRequest(body));
