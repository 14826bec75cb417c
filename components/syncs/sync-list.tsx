'use client';
import Link from 'next/link';
import { useSyncs } from '@/hooks/use-syncs';
import { ErrorNotice } from '@/components/ui/card';
import { DataTable } from '@/components/ui/data-table';
import { formatCount } from '@/components/jobs/format';
import { ago, describeSchedule, formatDelay } from './sync-format';
import { SyncStateBadge } from './sync-state-badge';

export function SyncList() {
  const syncs = useSyncs();
  const now = Date.now();
  return (
    <>
      <ErrorNotice error={syncs.error} />
      <DataTable
        rows={syncs.data ?? []}
        rowKey={(s) => s.id}
        empty={syncs.isLoading ? 'Loading…' : 'No syncs yet. Open a mapping and choose “Keep in sync”.'}
        columns={[
          {
            header: 'Mapping',
            cell: (s) => (
              <Link href={`/syncs/${s.id}`} className="font-medium text-indigo-700 hover:underline" data-testid="sync-link">
                {s.mapping.name}
              </Link>
            ),
          },
          { header: 'Mode', cell: (s) => <span className="text-xs">{describeSchedule(s.settings)}</span> },
          { header: 'State', cell: (s) => <SyncStateBadge state={s.state} /> },
          { header: 'D now', className: 'text-right tabular-nums', cell: (s) => formatDelay(s.delayMs) },
          { header: 'Last run', cell: (s) => (s.lastRun ? `${ago(s.lastRun.at, now)} · ${formatCount(s.lastRun.changes)} change(s)` : '—') },
          { header: 'Open errors', className: 'text-right tabular-nums', cell: (s) => formatCount(s.openErrorRows) },
        ]}
      />
    </>
  );
}
