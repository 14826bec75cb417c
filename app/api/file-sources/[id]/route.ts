import { idParams, route } from '@/app/_server/route';
import { getFileSource } from '@/lib/file-sources/get-file-source';

export const GET = route({ permission: 'read', params: idParams }, async ({ actor, params }) => ({
  fileSource: await getFileSource(params.id, actor),
}));
