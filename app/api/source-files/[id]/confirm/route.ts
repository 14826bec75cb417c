import { idParams, route } from '@/app/_server/route';
import { confirmSourceFileShape } from '@/lib/file-sources/confirm-source-file-shape';
import { confirmShapeSchema } from '@/lib/schemas/file-source';

export const POST = route({ permission: 'connections:write', params: idParams, body: confirmShapeSchema }, async ({ actor, params, body }) => ({
  file: await confirmSourceFileShape(params.id, body.shape, actor),
}));
