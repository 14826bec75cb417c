import { idParams, route } from '@/app/_server/route';
import { getConnection } from '@/lib/saved-connections/get-connection';
import { deleteConnection } from '@/lib/saved-connections/delete-connection';
import { updateConnection } from '@/lib/saved-connections/save-connection';
import { connectionConfigSchema } from '@/lib/schemas/connection-config';

export const GET = route({ permission: 'read', params: idParams }, async ({ params }) => ({
  connection: await getConnection(params.id),
}));

export const PUT = route(
  { permission: 'connections:write', params: idParams, body: connectionConfigSchema },
  async ({ actor, params, body }) => ({ connection: await updateConnection(actor, params.id, body) }),
);

export const DELETE = route({ permission: 'connections:write', params: idParams }, async ({ actor, params }) => {
  await deleteConnection(actor, params.id);
  return { ok: true };
});
