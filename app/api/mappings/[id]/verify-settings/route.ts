import { idParams, route } from '@/app/_server/route';
import { saveVerifySettings } from '@/lib/consistency/verify-settings';
import { verifySettingsSchema } from '@/lib/schemas/consistency';

export const PUT = route({ permission: 'mappings:write', params: idParams, body: verifySettingsSchema }, async ({ actor, params, body }) => ({
  settings: await saveVerifySettings(actor, params.id, body),
}));
