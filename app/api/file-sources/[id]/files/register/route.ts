import { idParams, route } from '@/app/_server/route';
import { registerSourceFile } from '@/lib/file-sources/register-source-file';
import { registerSourceFileSchema } from '@/lib/schemas/file-source';

export const POST = route({ permission: 'files:register', params: idParams, body: registerSourceFileSchema }, async ({ actor, params, body }) =>
  Response.json({ file: await registerSourceFile(params.id, body, actor) }, { status: 201 }),
);
