'use client';
import { useRouter } from 'next/navigation';
import { useStartReplay } from '@/hooks/use-jobs';
import { useDismissErrorRows, type useSyncAction } from '@/hooks/use-syncs';
import type { SyncAction, SyncView } from '@/lib/schemas/sync-view';
import { useCan } from '@/components/layout/actor-context';
import { Button } from '@/components/ui/button';
import { ErrorNotice } from '@/components/ui/card';

const labels: Record<SyncAction, string> = { start: 'Start', pause: 'Pause', resume: 'Resume', stop: 'Stop' };

const confirmations: Partial<Record<SyncAction, string>> = {
  stop: 'Stop this sync? Changes are no longer read; starting it again takes a new snapshot (a full load unless it starts from now).',
};

/**
 * Start (again), pause, resume and stop, and the failed rows' replay and dismissal: an
 * admin's buttons (each writes to the target or stops what does); the server checks too.
 */
export function SyncControls({ sync, action }: { sync: SyncView; action: ReturnType<typeof useSyncAction> }) {
  const router = useRouter();
  const canControl = useCan('jobs:control');
  const replay = useStartReplay(sync.jobId ?? '');
  const dismiss = useDismissErrorRows(sync.jobId ?? '');
  if (!canControl) return null;
  const startLabel = sync.state === 'never_started' ? 'Start' : 'Start again';
  const run = (a: SyncAction) => {
    const question = confirmations[a];
    if (question && !window.confirm(question)) return;
    action.mutate(a);
  };
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap justify-end gap-2">
        {sync.actions.includes('start') ? (
          <Button disabled={action.isPending || sync.mapping.archived} onClick={() => run('start')}>
            {action.isPending && action.variables === 'start' ? 'Starting…' : startLabel}
          </Button>
        ) : (
          (['pause', 'resume', 'stop'] as const).map((a) => (
            <Button key={a} variant={a === 'stop' ? 'danger' : 'secondary'} disabled={!sync.actions.includes(a) || action.isPending} onClick={() => run(a)}>
              {labels[a]}
            </Button>
          ))
        )}
        {sync.jobId && sync.openErrorRows > 0 && (
          <>
            <Button variant="secondary" disabled={replay.isPending} onClick={() => replay.mutate(undefined, { onSuccess: (job) => router.push(`/jobs/${job.id}`) })}>
              Replay failed rows
            </Button>
            <Button
              variant="secondary"
              disabled={dismiss.isPending}
              onClick={() => window.confirm(`Dismiss all ${sync.openErrorRows} open error row(s)? The sync stops retrying them.`) && dismiss.mutate(undefined)}
            >
              Dismiss all
            </Button>
          </>
        )}
      </div>
      <ErrorNotice error={replay.error ?? dismiss.error} />
    </div>
  );
}
