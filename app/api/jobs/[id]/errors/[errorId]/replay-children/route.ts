import { route } from '@/app/_server/route';
import { errorRowParams } from '@/app/_server/params';
import { replayChildrenOfErrorRow } from '@/lib/plans/replay-children-of-error-row';

// Replaying writes the waiting rows to the target: an admin's decision, like any replay.
export const POST = route({ permission: 'jobs:control', params: errorRowParams }, async ({ actor, params }) => replayChildrenOfErrorRow(actor, params.id, params.errorId));
