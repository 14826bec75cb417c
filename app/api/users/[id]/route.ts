import { idParams, route } from '@/app/_server/route';
import { updateUser, updateUserSchema } from '@/lib/users/manage-users';

export const PATCH = route({ permission: 'users:manage', params: idParams, body: updateUserSchema }, async ({ actor, params, body }) => ({
  user: await updateUser(actor, params.id, body),
}));
