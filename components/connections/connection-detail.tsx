'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useConnection, useDeleteConnection, useTables } from '@/hooks/use-connections';
import { useCan } from '@/components/layout/actor-context';
import { Button } from '@/components/ui/button';
import { Card, ErrorNotice, PageHeader } from '@/components/ui/card';
import { DataTable } from '@/components/ui/data-table';
import { ConnectionForm } from './connection-form';

export function ConnectionDetail({ id }: { id: string }) {
  const router = useRouter();
  const connection = useConnection(id);
  const tables = useTables(connection.data ? id : undefined);
  const canWrite = useCan('connections:write');
  const remove = useDeleteConnection();

  if (connection.error) return <ErrorNotice error={connection.error} />;
  if (!connection.data) return <p className="text-sm text-slate-500">Loading…</p>;

  async function onDelete() {
    if (!window.confirm(`Delete connection "${connection.data?.name}"?`)) return;
    await remove.mutateAsync(id);
    router.push('/connections');
  }

  if (connection.data.kind === 'csv') {
    return (
      <>
        <PageHeader title={connection.data.name} subtitle="CSV files" />
        <p className="text-sm text-slate-600">
          This is a file source: its tables are uploaded CSV files. <Link className="font-medium text-indigo-700 hover:underline" href="/files">Manage its files on the Files page</Link>.
        </p>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title={connection.data.name}
        subtitle={`${connection.data.kind === 'postgres' ? 'PostgreSQL' : 'MySQL/MariaDB'} · ${connection.data.host}:${connection.data.port}/${connection.data.database} · timestamps without zone in ${connection.data.timestampZone ?? 'UTC'}`}
        actions={canWrite && <Button variant="danger" onClick={onDelete}>Delete</Button>}
      />
      <ErrorNotice error={remove.error} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Settings">
          <ConnectionForm key={connection.data.updatedAt} existing={connection.data} readOnly={!canWrite} />
        </Card>
        <Card title="Schema">
          <ErrorNotice error={tables.error} />
          <DataTable
            rows={tables.data ?? []}
            rowKey={(t) => t.name}
            empty={tables.isLoading ? 'Reading the schema…' : 'No tables.'}
            columns={[
              {
                header: 'Table',
                cell: (t) => (
                  <Link className="font-mono text-indigo-700 hover:underline" href={`/connections/${id}/tables/${encodeURIComponent(t.name)}`}>
                    {t.name}
                  </Link>
                ),
              },
              { header: 'Rows (estimate)', className: 'text-right', cell: (t) => t.estimatedRows.toLocaleString() },
            ]}
          />
        </Card>
      </div>
    </>
  );
}
