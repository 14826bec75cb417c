import { Card, PageHeader } from '@/components/ui/card';
import { SyncList } from '@/components/syncs/sync-list';

export default function SyncsPage() {
  return (
    <>
      <PageHeader title="Syncs" subtitle="Mappings kept in step with their source. Open one for its delay, throughput, error rows and controls." />
      <Card>
        <SyncList />
      </Card>
    </>
  );
}
