import { JobList } from '@/components/jobs/job-list';
import { Card, PageHeader } from '@/components/ui/card';

export default function JobsPage() {
  return (
    <>
      <PageHeader title="Jobs" subtitle="Every migration with its outcome. Open one for live progress, error rows and its event log." />
      <Card>
        <JobList />
      </Card>
    </>
  );
}
