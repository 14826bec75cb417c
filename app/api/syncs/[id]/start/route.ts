import { idParams, route } from '@/app/_server/route';
import { startSync } from '@/lib/sync/start-sync';

// Starting writes to the target (the initial load, then every change): an admin's decision.
export const POST = route({ permission: 'jobs:control', params: idParams }, async ({ actor, params }) => startSync(actor, params.id));
