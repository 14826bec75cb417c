import { Card, PageHeader } from '@/components/ui/card';
import { NewPlan } from '@/components/plans/new-plan';

export default function NewPlanPage() {
  return (
    <>
      <PageHeader title="New plan" subtitle="Name it and pick its mappings; the plan page then shows the order they run in." />
      <Card>
        <NewPlan />
      </Card>
    </>
  );
}
