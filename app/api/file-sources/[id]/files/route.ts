import { idParams, route } from '@/app/_server/route';
import { createSourceFileUpload } from '@/lib/file-sources/create-source-file-upload';
import { createUploadSchema } from '@/lib/schemas/file-source';

/** Opens a chunked upload; the bytes follow with PUT /api/source-files/[id]/content?offset=N. */
export const POST = route({ permission: 'connections:write', params: idParams, body: createUploadSchema }, async ({ actor, params, body }) =>
  Response.json({ file: await createSourceFileUpload(params.id, body, actor) }, { status: 201 }),
);
