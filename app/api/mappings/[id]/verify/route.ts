import { idParams, route } from '@/app/_server/route';
import { assertVerifyOverrides } from '@/lib/consistency/verify-settings';
import { startVerify } from '@/lib/jobs/start-verify';
import { startVerifySchema } from '@/lib/schemas/consistency';

export const POST = route({ permission: 'jobs:control', params: idParams, body: startVerifySchema }, async ({ actor, params, body }) => {
  await assertVerifyOverrides(params.id, body.settings);
  return { job: await startVerify(actor, params.id, body) };
});
