import { z } from 'zod';
import { idParams, route } from '@/app/_server/route';
import { syncSettingsSchema } from '@/lib/schemas/sync-settings';
import { updateSync } from '@/lib/sync/save-sync';
import { getSyncView } from '@/lib/sync/sync-view';

export const GET = route({ permission: 'read', params: idParams }, async ({ params }) => ({ sync: await getSyncView(params.id) }));

export const PUT = route({ permission: 'mappings:write', params: idParams, body: z.object({ settings: syncSettingsSchema }) }, async ({ actor, params, body }) => {
  await updateSync(actor, params.id, body.settings);
  return { sync: await getSyncView(params.id) };
});
