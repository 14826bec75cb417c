import { z } from 'zod';
import { idParams, route } from '@/app/_server/route';
import { getMapping } from '@/lib/saved-mappings/get-mapping';
import { archiveMapping } from '@/lib/saved-mappings/archive-mapping';
import { MAX_DB_INTEGER, tooLarge } from '@/lib/schemas/db-integer';

const query = z.object({ version: z.coerce.number().int().positive().max(MAX_DB_INTEGER, tooLarge).optional() });

export const GET = route({ permission: 'read', params: idParams, query }, async ({ params, query }) => ({
  mapping: await getMapping(params.id, query.version),
}));

/** Archives: the mapping's history stays (restore: POST …/restore; erase for good: POST …/purge, admins). */
export const DELETE = route({ permission: 'mappings:write', params: idParams }, async ({ actor, params }) => ({
  mapping: await archiveMapping(actor, params.id),
}));
