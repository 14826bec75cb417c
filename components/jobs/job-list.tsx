'use client';
import Link from 'next/link';
import { useJobs } from '@/hooks/use-jobs';
import { DataTable } from '@/components/ui/data-table';
import { ErrorNotice } from '@/components/ui/card';
import { JobStatusBadge } from './job-status-badge';
import { formatCount } from './format';

export function JobList({ mappingId }: { mappingId?: string }) {
  const jobs = useJobs(mappingId);
  return (
    <>
      <ErrorNotice error={jobs.error} />
      <DataTable
        rows={jobs.data ?? []}
        rowKey={(j) => j.id}
        empty={jobs.isLoading ? 'Loading…' : 'No jobs yet.'}
        columns={[
          {
            header: 'Job',
            cell: (j) => (
              <Link href={`/jobs/${j.id}`} className="font-medium text-indigo-700 hover:underline">
                <span className="inline-block first-letter:uppercase">{j.kindView.label}</span> · {new Date(j.createdAt).toLocaleString()}
              </Link>
            ),
          },
          ...(mappingId ? [] : [{ header: 'Mapping', cell: (j: (typeof jobs.data & object)[number]) => j.mapping.name }]),
          { header: 'Version', cell: (j) => `v${j.mappingVersion}` },
          { header: 'Status', cell: (j) => <JobStatusBadge status={j.status} /> },
          // A kind that copies nothing (a verification) has its results as the score and counts on its page.
          { header: 'Read', className: 'text-right tabular-nums', cell: (j) => (j.kindView.rowCounters ? formatCount(j.read) : '—') },
          { header: 'Written', className: 'text-right tabular-nums', cell: (j) => (j.kindView.rowCounters ? formatCount(j.written) : '—') },
          { header: 'Failed', className: 'text-right tabular-nums', cell: (j) => (j.kindView.rowCounters ? formatCount(j.failed) : '—') },
        ]}
      />
    </>
  );
}
