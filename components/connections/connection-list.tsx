'use client';
import Link from 'next/link';
import { useConnections } from '@/hooks/use-connections';
import type { ConnectionView } from '@/lib/schemas/connection-config';
import { useCan } from '@/components/layout/actor-context';
import { Badge } from '@/components/ui/badge';
import { Card, ErrorNotice, PageHeader } from '@/components/ui/card';
import { DataTable } from '@/components/ui/data-table';

const kindLabels: Record<ConnectionView['kind'], string> = { postgres: 'PostgreSQL', mysql: 'MySQL/MariaDB', csv: 'CSV files' };

export function ConnectionList() {
  const connections = useConnections();
  const canWrite = useCan('connections:write');
  return (
    <>
      <PageHeader
        title="Connections"
        subtitle="Source and target databases. Passwords are stored encrypted and never shown."
        actions={
          canWrite && (
            <Link href="/connections/new" className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700">
              New connection
            </Link>
          )
        }
      />
      <ErrorNotice error={connections.error} />
      <Card>
        <DataTable
          rows={connections.data ?? []}
          rowKey={(c) => c.id}
          empty={connections.isLoading ? 'Loading…' : 'No connections yet.'}
          columns={[
            // A file source has no address to edit: its tables are managed on the Files page.
            { header: 'Name', cell: (c) => <Link className="font-medium text-indigo-700 hover:underline" href={c.kind === 'csv' ? '/files' : `/connections/${c.id}`}>{c.name}</Link> },
            { header: 'Kind', cell: (c) => <Badge tone="info">{kindLabels[c.kind]}</Badge> },
            {
              header: 'Address',
              cell: (c) => (c.kind === 'csv' ? <span className="text-xs text-slate-600">CSV files</span> : <span className="font-mono text-xs">{`${c.username}@${c.host}:${c.port}/${c.database}`}</span>),
            },
            { header: 'SSL', cell: (c) => (c.kind === 'csv' ? '–' : c.sslMode) },
            { header: 'Updated', cell: (c) => new Date(c.updatedAt).toLocaleString() },
          ]}
        />
      </Card>
    </>
  );
}
