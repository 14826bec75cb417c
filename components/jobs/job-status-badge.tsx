import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { JobStatus } from '@/lib/jobs/job-state';

const tones: Record<JobStatus, BadgeTone> = {
  queued: 'neutral',
  planning: 'info',
  running: 'info',
  pausing: 'warn',
  paused: 'warn',
  completed: 'good',
  completed_with_errors: 'warn',
  failed: 'bad',
  cancelling: 'warn',
  cancelled: 'neutral',
};

export function JobStatusBadge({ status }: { status: JobStatus }) {
  return (
    <span data-testid="job-status" data-status={status}>
      <Badge tone={tones[status]}>{status.replace(/_/g, ' ')}</Badge>
    </span>
  );
}
