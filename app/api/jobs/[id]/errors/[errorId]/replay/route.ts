import { route } from '@/app/_server/route';
import { errorRowParams } from '@/app/_server/params';
import { replayOneErrorRow } from '@/lib/jobs/edit-error-row';

export const POST = route({ permission: 'errors:edit', params: errorRowParams }, async ({ actor, params }) => ({
  result: await replayOneErrorRow(actor, params.id, params.errorId),
}));
