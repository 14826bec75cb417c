import { redirect } from 'next/navigation';
import { requireActorOrRedirect } from '@/app/_server/current-actor';
import { can } from '@/lib/auth/roles';
import { NewMapping } from '@/components/mapping/new-mapping';

type Query = Record<'sourceConnectionId' | 'sourceTable', string | string[] | undefined>;

/** `?sourceConnectionId=…&sourceTable=…` preselects the source (the Files page links here after a file's shape is confirmed). */
export default async function NewMappingPage({ searchParams }: { searchParams: Promise<Query> }) {
  const actor = await requireActorOrRedirect();
  if (!can(actor.role, 'mappings:write')) redirect('/mappings');
  const query = await searchParams;
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';
  return <NewMapping initialSource={{ connectionId: first(query.sourceConnectionId), table: first(query.sourceTable) }} />;
}
