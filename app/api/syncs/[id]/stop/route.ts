import { idParams, route } from '@/app/_server/route';
import { stopSync } from '@/lib/sync/start-sync';

export const POST = route({ permission: 'jobs:control', params: idParams }, async ({ actor, params }) => ({ status: await stopSync(actor, params.id) }));
