import { idParams, route } from '@/app/_server/route';
import { testSavedConnection } from '@/lib/saved-connections/test-connection';
import { getConnection } from '@/lib/saved-connections/get-connection';

export const POST = route({ permission: 'read', params: idParams }, async ({ params }) => {
  await getConnection(params.id);
  return { result: await testSavedConnection(params.id) };
});
