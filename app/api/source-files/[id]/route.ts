import { idParams, route } from '@/app/_server/route';
import { deleteSourceFile } from '@/lib/file-sources/delete-source-file';
import { getSourceFile } from '@/lib/file-sources/get-source-file';

export const GET = route({ permission: 'read', params: idParams }, async ({ actor, params }) => getSourceFile(params.id, actor));

export const DELETE = route({ permission: 'connections:write', params: idParams }, async ({ actor, params }) => {
  await deleteSourceFile(params.id, actor);
  return { ok: true };
});
