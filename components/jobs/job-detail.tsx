'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useJob, useJobAction, useStartReplay } from '@/hooks/use-jobs';
import { isFinal } from '@/lib/jobs/job-state';
import { useCan } from '@/components/layout/actor-context';
import { Button } from '@/components/ui/button';
import { ErrorNotice, PageHeader } from '@/components/ui/card';
import { JobConsistency } from '@/components/consistency/job-consistency';
import { ErrorRowsPanel } from './error-rows-panel';
import { JobEventLog } from './job-event-log';
import { JobProgressPanel } from './job-progress-panel';
import { JobStatusBadge } from './job-status-badge';

const actionLabels = { pause: 'Pause', resume: 'Resume', cancel: 'Cancel' } as const;

export function JobDetail({ id }: { id: string }) {
  const job = useJob(id);
  const router = useRouter();
  const action = useJobAction(id);
  const replay = useStartReplay(id);
  const canControl = useCan('jobs:control');
  if (job.error) return <ErrorNotice error={job.error} />;
  if (!job.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const j = job.data;
  const live = !isFinal(j.status);
  // Open rows move when a replay lands some, after the job's own counters stopped moving.
  const revision = `${j.status}/${j.totals.failed}/${j.failedRows?.open ?? ''}/${j.chunkCounts.done}`;

  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            <span className="inline-block first-letter:uppercase">{j.kindView.label}</span> · {j.mapping.name} <JobStatusBadge status={j.status} />
          </span>
        }
        subtitle={
          <>
            <Link href={`/mappings/${j.mapping.id}`} className="text-indigo-700 hover:underline">
              {j.mapping.sourceTable} → {j.mapping.targetTable}
            </Link>{' '}
            · mapping <span data-testid="job-mapping-version">v{j.mappingVersion}</span> · started by {j.createdBy ?? 'unknown'}{' '}
            {j.startedAt && `at ${new Date(j.startedAt).toLocaleString()}`}
          </>
        }
        actions={
          canControl && [
            ...(isFinal(j.status) && j.kindView.ownsErrorRows && (j.failedRows?.open ?? 0) > 0
              ? [
                  <Button key="replay" disabled={replay.isPending} onClick={() => replay.mutate(undefined, { onSuccess: (job) => router.push(`/jobs/${job.id}`) })}>
                    Replay failed rows
                  </Button>,
                ]
              : []),
            ...(['pause', 'resume', 'cancel'] as const).map((a) => (
            <Button
              key={a}
              variant={a === 'cancel' ? 'danger' : 'secondary'}
              disabled={!j.actions.includes(a) || action.isPending}
              onClick={() => (a !== 'cancel' || window.confirm('Cancel this job? Rows already written stay in the target.')) && action.mutate(a)}
            >
              {actionLabels[a]}
            </Button>
            )),
          ]
        }
      />
      <ErrorNotice error={action.error ?? replay.error} />
      {j.parentJobId && (
        <p className="mb-4 text-sm text-slate-600">
          {j.kindView.parentLink.before}
          <Link href={`/jobs/${j.parentJobId}`} className="text-indigo-700 hover:underline">
            job {j.parentJobId.slice(0, 8)}
          </Link>
          {j.kindView.parentLink.after}
        </p>
      )}
      {j.conditionText && (
        // What the job is doing about a problem right now: the first thing to read on the page.
        <p
          data-testid="job-condition"
          data-state={j.condition?.state}
          role="status"
          className="mb-4 rounded-md border border-orange-300 bg-orange-50 px-3 py-2 text-sm font-medium text-orange-900"
        >
          {j.conditionText}
        </p>
      )}
      {j.stopReason && (
        <p
          data-testid="job-stop-reason"
          className={`mb-4 rounded-md border px-3 py-2 text-sm ${j.status === 'failed' ? 'border-red-200 bg-red-50 text-red-900' : 'border-amber-200 bg-amber-50 text-amber-900'}`}
        >
          {j.stopReason}
        </p>
      )}
      <div className="space-y-6">
        <JobProgressPanel job={j} />
        <JobConsistency jobId={id} />
        <ErrorRowsPanel jobId={id} revision={revision} replayOf={j.replayOutcome?.parentJobId ?? null} />
        <JobEventLog jobId={id} revision={revision} />
      </div>
    </>
  );
}
