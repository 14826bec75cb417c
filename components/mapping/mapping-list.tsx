'use client';
import Link from 'next/link';
import { useMappings } from '@/hooks/use-mappings';
import { useCan } from '@/components/layout/actor-context';
import { Badge } from '@/components/ui/badge';
import { Card, ErrorNotice, PageHeader } from '@/components/ui/card';
import { DataTable } from '@/components/ui/data-table';

export function MappingList() {
  const mappings = useMappings();
  const canWrite = useCan('mappings:write');
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
      <ErrorNotice error={mappings.error} />
      <Card>
        <DataTable
          rows={mappings.data ?? []}
          rowKey={(m) => m.id}
          empty={mappings.isLoading ? 'Loading…' : canWrite ? 'No mappings yet. Create one to map a legacy table onto a new one.' : 'No mappings yet.'}
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
            { header: 'Updated', cell: (m) => <span className="whitespace-nowrap text-slate-600">{new Date(m.updatedAt).toLocaleString()}</span> },
          ]}
        />
      </Card>
    </>
  );
}
