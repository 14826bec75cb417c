'use client';
import Link from 'next/link';
import { useJobs } from '@/hooks/use-jobs';
import { Badge } from '@/components/ui/badge';
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
          {
            header: 'Status',
            cell: (j) => (
              <span className="flex items-center gap-1">
                <JobStatusBadge status={j.status} />
                {j.condition && (
                  <span data-testid="job-condition-badge" title={j.condition.text}>
                    <Badge tone="warn">{j.condition.state}</Badge>
                  </span>
                )}
              </span>
            ),
          },
          // A kind that copies nothing (a verification) has its results as the score and counts on its page.
          { header: 'Read', className: 'text-right tabular-nums', cell: (j) => (j.kindView.rowCounters ? formatCount(j.read) : '—') },
          { header: 'Written', className: 'text-right tabular-nums', cell: (j) => (j.kindView.rowCounters ? formatCount(j.written) : '—') },
          {
            header: 'Failed',
            className: 'text-right tabular-nums',
            // Replays land some of them later: the list says how many still fail, as the job page does.
            cell: (j) =>
              !j.kindView.rowCounters ? (
                '—'
              ) : j.failedRows && j.failedRows.resolved > 0 ? (
                <span title={`${formatCount(j.failedRows.resolved)} landed since`}>
                  {formatCount(j.failed)} <span className="text-xs text-slate-500">({formatCount(j.failedRows.open)} open)</span>
                </span>
              ) : (
                formatCount(j.failed)
              ),
          },
        ]}
      />
    </>
  );
}
