'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useSync, useSyncAction, useUpdateSync } from '@/hooks/use-syncs';
import type { SyncView } from '@/lib/schemas/sync-view';
import { useCan } from '@/components/layout/actor-context';
import { Button } from '@/components/ui/button';
import { Card, ErrorNotice, PageHeader } from '@/components/ui/card';
import { ErrorRowsPanel } from '@/components/jobs/error-rows-panel';
import { JobEventLog } from '@/components/jobs/job-event-log';
import { formatCount } from '@/components/jobs/format';
import { DelayChart } from './delay-chart';
import { describeSchedule } from './sync-format';
import { StartRefusal } from './start-refusal';
import { SyncControls } from './sync-controls';
import { SyncGauges } from './sync-gauges';
import { SyncSettingsForm } from './sync-settings-form';
import { SyncStateBadge } from './sync-state-badge';

const deleteWords = { apply: 'deleted in the target', mark: 'marked in the target', ignore: 'ignored' } as const;

function SettingsSummary({ sync }: { sync: SyncView }) {
  const s = sync.settings;
  const rows: [string, string][] = [
    ['Mode', s.mode === 'log' ? 'change log' : `cursor column ${s.cursorColumn ?? '—'} (lag ${s.lagMs} ms)`],
    ['Schedule', describeSchedule(s)],
    ['Deletions', `${deleteWords[s.deletePolicy]}${s.deletePolicy === 'mark' && s.markColumn ? ` (${s.markColumn})` : ''}${s.softDeleteColumn ? `; soft-delete column ${s.softDeleteColumn}` : ''}`],
    ...(s.mode === 'cursor' ? [['Key reconciliation', s.reconcileMinutes > 0 ? `every ${s.reconcileMinutes} min` : 'never'] as [string, string]] : []),
    ['Initial load', s.initialLoad === 'full' ? 'full load, then changes' : 'changes from the start on'],
    ['Verification', s.verifyMinutes > 0 ? `every ${s.verifyMinutes} min` : 'never'],
  ];
  return (
    <dl data-testid="sync-settings" className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-500">{label}</dt>
          <dd className="text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Settings, read-only while the sync runs; analysts and admins edit them while it is stopped. */
function SettingsCard({ sync }: { sync: SyncView }) {
  const canWrite = useCan('mappings:write');
  const update = useUpdateSync(sync.id);
  const [editing, setEditing] = useState(false);
  const canEdit = canWrite && sync.editable && !sync.mapping.archived;
  return (
    <Card title="Settings" actions={canEdit && !editing && <Button variant="secondary" onClick={() => setEditing(true)}>Edit settings</Button>}>
      {editing ? (
        <SyncSettingsForm
          mappingId={sync.mapping.id}
          initial={sync.settings}
          submitLabel="Save settings"
          pending={update.isPending}
          error={update.error}
          onSubmit={(settings) => update.mutate(settings, { onSuccess: () => setEditing(false) })}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          <SettingsSummary sync={sync} />
          {canWrite && !sync.editable && <p className="mt-2 text-xs text-slate-500">Stop the sync to change its settings.</p>}
        </>
      )}
    </Card>
  );
}

export function SyncDetail({ id }: { id: string }) {
  const sync = useSync(id);
  const action = useSyncAction(id);
  if (sync.error && !sync.data) return <ErrorNotice error={sync.error} />;
  if (!sync.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const s = sync.data;
  const now = Date.now();
  const revision = `${s.state}/${s.openErrorRows}/${s.delay.lastAppliedAt ?? ''}`;
  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            Sync · {s.mapping.name} <SyncStateBadge state={s.state} />
          </span>
        }
        subtitle={
          <>
            <Link href={`/mappings/${s.mapping.id}`} className="text-indigo-700 hover:underline">
              {s.mapping.sourceTable} → {s.mapping.targetTable}
            </Link>{' '}
            · {describeSchedule(s.settings)}
            {s.jobId && (
              <>
                {' '}
                · job{' '}
                <Link href={`/jobs/${s.jobId}`} className="text-indigo-700 hover:underline">
                  {s.jobId.slice(0, 8)}
                </Link>
              </>
            )}
          </>
        }
        actions={<SyncControls sync={s} action={action} />}
      />
      <div className="mb-4 space-y-2">
        <StartRefusal error={action.error} />
        {s.state === 'lost' && (
          <p data-testid="sync-lost" role="status" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900">
            The change log no longer holds this sync’s position ({s.captureHealth?.message ?? s.stopReason}). Changes since then cannot be read from it: start
            again to take a new snapshot (a full load) and stream from there.
          </p>
        )}
        {s.state !== 'lost' && s.stopReason && (s.state === 'failed' || s.state === 'stopped') && (
          <p data-testid="sync-stop-reason" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {s.stopReason}
          </p>
        )}
        {s.initialLoad && (
          <p data-testid="sync-initial-load" className="rounded-md border border-indigo-200 bg-indigo-50 px-3 py-2 text-sm text-indigo-900">
            Initial load {s.initialLoad.status.replace(/_/g, ' ')}: {s.initialLoad.percent.toFixed(1)} % ({formatCount(s.initialLoad.rowsRead)}
            {s.initialLoad.rowsEstimated !== null && ` of about ${formatCount(s.initialLoad.rowsEstimated)}`} rows) ·{' '}
            <Link href={`/jobs/${s.initialLoad.jobId}`} className="text-indigo-700 hover:underline">
              load job
            </Link>
            . Changes made meanwhile are applied when it finishes.
          </p>
        )}
      </div>
      <div className="space-y-6">
        <SyncGauges sync={s} now={now} />
        <Card title="Delay D over the last hour">
          <DelayChart delay={s.delay} />
        </Card>
        <SettingsCard sync={s} />
        {s.jobId ? (
          <>
            <ErrorRowsPanel jobId={s.jobId} revision={revision} canDismiss />
            <JobEventLog jobId={s.jobId} revision={revision} />
          </>
        ) : (
          <Card title="Error rows">
            <p className="text-sm text-slate-500">Rows that fail to apply are listed here once the sync runs.</p>
          </Card>
        )}
      </div>
    </>
  );
}
