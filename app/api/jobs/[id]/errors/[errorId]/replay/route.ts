import { route } from '@/app/_server/route';
import { errorRowParams } from '@/app/_server/params';
import { replayOneErrorRow } from '@/lib/jobs/edit-error-row';

// Replaying writes the row to the target: an admin's decision, like any run (lib/auth/roles.ts).
export const POST = route({ permission: 'jobs:control', params: errorRowParams }, async ({ actor, params }) => ({
  result: await replayOneErrorRow(actor, params.id, params.errorId),
}));
