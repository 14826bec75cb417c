import { idParams, route } from '@/app/_server/route';
import { startVerify } from '@/lib/jobs/start-verify';
import { startVerifySchema } from '@/lib/schemas/consistency';

export const POST = route({ permission: 'jobs:control', params: idParams, body: startVerifySchema }, async ({ actor, params, body }) => ({
  job: await startVerify(actor, params.id, body),
}));
