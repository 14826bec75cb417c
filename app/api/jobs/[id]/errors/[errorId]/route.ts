import { route } from '@/app/_server/route';
import { errorRowParams } from '@/app/_server/params';
import { editErrorRow, editErrorRowSchema } from '@/lib/jobs/edit-error-row';

export const PATCH = route({ permission: 'errors:edit', params: errorRowParams, body: editErrorRowSchema }, async ({ actor, params, body }) =>
  editErrorRow(actor, params.id, params.errorId, body),
);
