import { idParams, route } from '@/app/_server/route';
import { purgeMapping, purgeMappingSchema } from '@/lib/saved-mappings/purge-mapping';

/** Erases an archived mapping and its whole history; the body carries the mapping's name, typed by an admin. */
export const POST = route({ permission: 'mappings:purge', params: idParams, body: purgeMappingSchema }, async ({ actor, params, body }) => ({
  purged: await purgeMapping(actor, params.id, body),
}));
