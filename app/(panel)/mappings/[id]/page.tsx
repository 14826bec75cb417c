import { MappingJobs } from '@/components/jobs/mapping-jobs';
import { MappingDetail } from '@/components/mapping/mapping-detail';

export default async function MappingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <MappingDetail id={id} jobsSlot={<MappingJobs mappingId={id} />} />;
}
