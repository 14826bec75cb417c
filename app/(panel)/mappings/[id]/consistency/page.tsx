import { MappingConsistencyPage } from '@/components/consistency/mapping-consistency-page';

export default async function ConsistencyPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <MappingConsistencyPage mappingId={id} />;
}
