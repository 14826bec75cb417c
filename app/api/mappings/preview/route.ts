import { route } from '@/app/_server/route';
import { requirePermission } from '@/lib/auth/roles';
import { bodyLimits } from '@/lib/http/read-json-body';
import { previewMapping, previewSavedVersion } from '@/lib/saved-mappings/preview-mapping';
import { previewRequestSchema } from '@/lib/schemas/mapping-preview';

// Every role may preview a saved version. A spec of one's own may read any column of any
// table the connections reach (a users table's password hashes), so it needs the right to
// edit mappings. Either way the write check runs in a transaction that is always rolled back.
export const POST = route({ permission: 'read', body: previewRequestSchema, maxBodyBytes: bodyLimits.mappingSpec }, async ({ actor, body }) => {
  const { mappingId, version, sourceConnectionId, targetConnectionId, spec, keys, limit } = body;
  if (spec !== undefined && sourceConnectionId !== undefined && targetConnectionId !== undefined) {
    requirePermission(actor, 'mappings:write');
    return { preview: await previewMapping({ sourceConnectionId, targetConnectionId, spec, keys, limit }) };
  }
  if (mappingId !== undefined && version !== undefined) return { preview: await previewSavedVersion({ mappingId, version, keys, limit }) };
  // The schema lets nothing else through.
  throw new Error('preview request with neither a spec nor a saved version');
});
