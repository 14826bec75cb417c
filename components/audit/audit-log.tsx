'use client';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/hooks/api-client';
import { queryKeys } from '@/hooks/query-keys';
import { Card, ErrorNotice, PageHeader } from '@/components/ui/card';
import { DataTable } from '@/components/ui/data-table';

interface AuditEntryView {
  id: number;
  at: string;
  actorEmail: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

const json = (v: unknown) => (v == null ? '—' : <pre className="max-w-md overflow-x-auto whitespace-pre-wrap text-xs">{JSON.stringify(v, null, 1)}</pre>);

export function AuditLog() {
  const entries = useQuery({
    queryKey: queryKeys.audit,
    queryFn: () => api<{ entries: AuditEntryView[] }>('/api/audit?take=200').then((r) => r.entries),
  });
  return (
    <>
      <PageHeader title="Audit log" subtitle="Who changed what, and when. Secrets are never recorded." />
      <ErrorNotice error={entries.error} />
      <Card>
        <DataTable
          rows={entries.data ?? []}
          rowKey={(e) => String(e.id)}
          columns={[
            { header: 'When', cell: (e) => new Date(e.at).toLocaleString() },
            { header: 'Who', cell: (e) => e.actorEmail },
            { header: 'Action', cell: (e) => <span className="font-mono text-xs">{e.action}</span> },
            { header: 'Before', cell: (e) => json(e.before) },
            { header: 'After', cell: (e) => json(e.after) },
          ]}
        />
      </Card>
    </>
  );
}
