'use client';
import Link from 'next/link';
import { useConnections } from '@/hooks/use-connections';
import { useCan } from '@/components/layout/actor-context';
import { Badge } from '@/components/ui/badge';
import { Card, ErrorNotice, PageHeader } from '@/components/ui/card';
import { DataTable } from '@/components/ui/data-table';

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
            { header: 'Name', cell: (c) => <Link className="font-medium text-indigo-700 hover:underline" href={`/connections/${c.id}`}>{c.name}</Link> },
            { header: 'Kind', cell: (c) => <Badge tone="info">{c.kind === 'postgres' ? 'PostgreSQL' : 'MySQL/MariaDB'}</Badge> },
            { header: 'Address', cell: (c) => <span className="font-mono text-xs">{`${c.username}@${c.host}:${c.port}/${c.database}`}</span> },
            { header: 'SSL', cell: (c) => c.sslMode },
            { header: 'Updated', cell: (c) => new Date(c.updatedAt).toLocaleString() },
          ]}
        />
      </Card>
    </>
  );
}
