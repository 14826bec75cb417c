import { MappingJobs } from '@/components/jobs/mapping-jobs';
import { MappingDetail } from '@/components/mapping/mapping-detail';
import { MappingSync } from '@/components/syncs/mapping-sync';

export default async function MappingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <MappingDetail
      id={id}
      jobsSlot={
        <div className="space-y-6">
          <MappingJobs mappingId={id} />
          <MappingSync mappingId={id} />
        </div>
      }
    />
  );
}
