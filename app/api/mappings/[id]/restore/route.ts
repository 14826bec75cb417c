import { idParams, route } from '@/app/_server/route';
import { restoreMapping } from '@/lib/saved-mappings/restore-mapping';

export const POST = route({ permission: 'mappings:write', params: idParams }, async ({ actor, params }) => ({
  mapping: await restoreMapping(actor, params.id),
}));
