import { redirect } from 'next/navigation';
import { requireActorOrRedirect } from '@/app/_server/current-actor';
import { can } from '@/lib/auth/roles';
import { NewMapping } from '@/components/mapping/new-mapping';

export default async function NewMappingPage() {
  const actor = await requireActorOrRedirect();
  if (!can(actor.role, 'mappings:write')) redirect('/mappings');
  return <NewMapping />;
}
