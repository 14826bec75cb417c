import { Badge, type BadgeTone } from '@/components/ui/badge';

const tones: Record<string, BadgeTone> = {
  running: 'info',
  paused: 'warn',
  completed: 'good',
  completed_with_errors: 'warn',
  failed: 'bad',
  cancelled: 'neutral',
};

export function PlanRunStatusBadge({ status }: { status: string }) {
  return (
    <span data-testid="plan-run-status" data-status={status}>
      <Badge tone={tones[status] ?? 'neutral'}>{status.replace(/_/g, ' ')}</Badge>
    </span>
  );
}
