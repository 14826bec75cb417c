import { route } from '@/app/_server/route';
import { createUser, createUserSchema, listUsers } from '@/lib/users/manage-users';

export const GET = route({ permission: 'users:manage' }, async () => ({ users: await listUsers() }));

export const POST = route({ permission: 'users:manage', body: createUserSchema }, async ({ actor, body }) => ({
  user: await createUser(actor, body),
}));
