import { idParams, route } from '@/app/_server/route';
import { listTables } from '@/lib/saved-connections/browse-schema';

export const GET = route({ permission: 'read', params: idParams }, async ({ params }) => ({
  tables: await listTables(params.id),
}));
