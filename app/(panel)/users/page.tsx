import { redirect } from 'next/navigation';
import { requireActorOrRedirect } from '@/app/_server/current-actor';
import { can } from '@/lib/auth/roles';
import { UserAdmin } from '@/components/users/user-admin';

export default async function UsersPage() {
  const actor = await requireActorOrRedirect();
  if (!can(actor.role, 'users:manage')) redirect('/connections');
  return <UserAdmin />;
}
