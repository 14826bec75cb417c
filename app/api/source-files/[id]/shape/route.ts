import { idParams, route } from '@/app/_server/route';
import { previewSourceFileShape } from '@/lib/file-sources/preview-source-file-shape';
import { previewShapeSchema } from '@/lib/schemas/file-source';

/** Reads the file with the analyst's choices; stores nothing (confirm does). */
export const POST = route({ permission: 'read', params: idParams, body: previewShapeSchema }, async ({ params, body }) => ({
  report: await previewSourceFileShape(params.id, body.overrides),
}));
