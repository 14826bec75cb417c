import { PlansOverview } from '@/components/plans/plans-overview';

export default function PlansPage() {
  return <PlansOverview />;
}
