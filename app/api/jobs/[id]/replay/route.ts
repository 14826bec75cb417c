import { idParams, route } from '@/app/_server/route';
import { startReplay, startReplaySchema } from '@/lib/jobs/start-replay';

export const POST = route({ permission: 'jobs:control', params: idParams, body: startReplaySchema }, async ({ actor, params, body }) => ({
  job: await startReplay(actor, params.id, body),
}));
