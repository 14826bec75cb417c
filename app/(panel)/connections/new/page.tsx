import { redirect } from 'next/navigation';
import { requireActorOrRedirect } from '@/app/_server/current-actor';
import { can } from '@/lib/auth/roles';
import { ConnectionForm } from '@/components/connections/connection-form';
import { PageHeader } from '@/components/ui/card';

export default async function NewConnectionPage() {
  const actor = await requireActorOrRedirect();
  if (!can(actor.role, 'connections:write')) redirect('/connections');
  return (
    <>
      <PageHeader title="New connection" />
      <ConnectionForm />
    </>
  );
}
