import { idParams, route } from '@/app/_server/route';
import { dismissErrorRows, dismissErrorRowsSchema } from '@/lib/jobs/dismiss-error-rows';

// Giving up on rows a sync would keep retrying: an admin's call, like replaying them.
export const POST = route({ permission: 'jobs:control', params: idParams, body: dismissErrorRowsSchema }, async ({ actor, params, body }) =>
  dismissErrorRows(actor, params.id, body),
);
