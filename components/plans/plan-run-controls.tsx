'use client';
import type { usePlanRunAction, useStartPlanRun } from '@/hooks/use-plans';
import type { PlanView } from '@/lib/plans/plan-view';
import { useCan } from '@/components/layout/actor-context';
import { Button } from '@/components/ui/button';

const labels = { pause: 'Pause', resume: 'Resume', cancel: 'Cancel' } as const;

/** Why the plan cannot run now, or null. */
export function runRefusal(plan: PlanView): string | null {
  const latest = plan.runs[0];
  if (latest && (latest.status === 'running' || latest.status === 'paused')) return `A run is ${latest.status}: pause, resume or cancel it first.`;
  const blocking = plan.graph.cycles.filter((c) => c.blocking);
  if (blocking.length > 0) return `Cannot run: ${blocking.map((c) => c.message).join('; ')}`;
  const archived = plan.members.filter((m) => m.archived);
  if (archived.length > 0) return `Cannot run: archived mappings (${archived.map((m) => m.name).join(', ')}). Restore them or remove them from the plan.`;
  if (plan.members.length === 0) return 'Cannot run: the plan has no mappings.';
  return null;
}

/** Run plan, and Pause, Resume, Cancel for the run shown: an admin's buttons (each starts or stops writes). */
export function PlanRunControls({
  plan,
  start,
  action,
  onStarted,
}: {
  plan: PlanView;
  start: ReturnType<typeof useStartPlanRun>;
  action: ReturnType<typeof usePlanRunAction>;
  onStarted: () => void;
}) {
  const canControl = useCan('jobs:control');
  if (!canControl) return null;
  const refusal = runRefusal(plan);
  const run = plan.run;
  return (
    <div className="flex flex-wrap justify-end gap-2">
      <Button disabled={refusal !== null || start.isPending} title={refusal ?? undefined} onClick={() => start.mutate({}, { onSuccess: onStarted })}>
        {start.isPending ? 'Starting…' : plan.runs.length > 0 ? 'Run plan again' : 'Run plan'}
      </Button>
      {run &&
        (['pause', 'resume', 'cancel'] as const).map((a) => (
          <Button
            key={a}
            variant={a === 'cancel' ? 'danger' : 'secondary'}
            disabled={!run.actions.includes(a) || action.isPending}
            onClick={() =>
              (a !== 'cancel' || window.confirm('Cancel this plan run? Rows already written stay in the targets; mappings not started yet do not run.')) &&
              action.mutate({ runId: run.id, action: a })
            }
          >
            {labels[a]}
          </Button>
        ))}
    </div>
  );
}
