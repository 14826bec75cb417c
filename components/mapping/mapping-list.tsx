'use client';
import Link from 'next/link';
import { useState } from 'react';
import { useMappings } from '@/hooks/use-mappings';
import { useCan } from '@/components/layout/actor-context';
import { Badge } from '@/components/ui/badge';
import { Card, ErrorNotice, PageHeader } from '@/components/ui/card';
import { DataTable } from '@/components/ui/data-table';
import { archivedWhen, PurgeMappingButton, RestoreMappingButton } from './mapping-archive';

const tabClass = (selected: boolean) =>
  `rounded-md px-3 py-1.5 text-sm font-medium ${selected ? 'bg-white text-slate-900 shadow-sm' : 'text-slate-600 hover:text-slate-900'}`;

/** Active mappings (the default), or the archived ones with who archived them, restore and (admins) erase. */
export function MappingList() {
  const [archived, setArchived] = useState(false);
  const mappings = useMappings(archived);
  const canWrite = useCan('mappings:write');
  const rows = mappings.data ?? [];
  return (
    <>
      <PageHeader
        title="Mappings"
        subtitle="How a legacy source table becomes a target table: field links, transforms, keys. Every save is a new version."
        actions={
          canWrite && (
            <Link href="/mappings/new" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-700">
              New mapping
            </Link>
          )
        }
      />
      <div role="tablist" aria-label="Which mappings" className="mb-3 inline-flex gap-1 rounded-lg bg-slate-100 p-1">
        <button type="button" role="tab" aria-selected={!archived} className={tabClass(!archived)} onClick={() => setArchived(false)}>
          Active
        </button>
        <button type="button" role="tab" aria-selected={archived} className={tabClass(archived)} onClick={() => setArchived(true)}>
          Archived
        </button>
      </div>
      <ErrorNotice error={mappings.error} />
      <Card>
        <DataTable
          rows={rows}
          rowKey={(m) => m.id}
          empty={
            mappings.isLoading
              ? 'Loading…'
              : archived
                ? 'No archived mappings.'
                : canWrite
                  ? 'No mappings yet. Create one to map a legacy table onto a new one.'
                  : 'No mappings yet.'
          }
          columns={[
            {
              header: 'Name',
              cell: (m) => (
                <Link className="font-medium text-indigo-700 hover:underline" href={`/mappings/${m.id}`}>
                  {m.name}
                </Link>
              ),
            },
            {
              header: 'Source',
              cell: (m) => (
                <span>
                  <span className="text-slate-600">{m.sourceConnection.name}</span> · <span className="font-mono text-xs">{m.sourceTable}</span>
                </span>
              ),
            },
            { header: '', className: 'w-6 text-slate-400', cell: () => <span aria-hidden>→</span> },
            {
              header: 'Target',
              cell: (m) => (
                <span>
                  <span className="text-slate-600">{m.targetConnection.name}</span> · <span className="font-mono text-xs">{m.targetTable}</span>
                </span>
              ),
            },
            { header: 'Version', cell: (m) => <Badge tone="info">v{m.latestVersion}</Badge> },
            ...(archived
              ? [
                  { header: 'Archived', cell: (m: (typeof rows)[number]) => <span className="text-slate-600" data-testid="archived-when">{archivedWhen(m)}</span> },
                  {
                    header: 'Actions',
                    className: 'text-right',
                    cell: (m: (typeof rows)[number]) => (
                      <span className="inline-flex items-start gap-2">
                        <RestoreMappingButton mapping={m} />
                        <PurgeMappingButton mapping={m} />
                      </span>
                    ),
                  },
                ]
              : [{ header: 'Updated', cell: (m: (typeof rows)[number]) => <span className="whitespace-nowrap text-slate-600">{new Date(m.updatedAt).toLocaleString()}</span> }]),
          ]}
        />
      </Card>
    </>
  );
}
