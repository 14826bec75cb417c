'use client';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { Fragment, useState } from 'react';
import { errorRowQuery, useErrorRows, type ErrorRowFilterView } from '@/hooks/use-jobs';
import { Badge } from '@/components/ui/badge';
import { Card, ErrorNotice } from '@/components/ui/card';
import { DataTable } from '@/components/ui/data-table';
import { Select, TextInput } from '@/components/ui/field';
import { useCan } from '@/components/layout/actor-context';
import { FixErrorRow } from './fix-error-row';

const unique = <T,>(values: T[]) => [...new Set(values)];

/**
 * A job's error rows, or on a replay's page (`replayOf` = the replayed job) the rows it
 * tried: those it landed and those that failed again. They belong to the replayed job,
 * which is where they are corrected.
 */
export function ErrorRowsPanel({ jobId, revision, replayOf = null }: { jobId: string; revision: string; replayOf?: string | null }) {
  // ?errorKey= opens the panel searched by one key (links from consistency differences).
  const linkedKey = useSearchParams().get('errorKey') ?? undefined;
  const [filter, setFilter] = useState<ErrorRowFilterView>({ key: linkedKey });
  const [fixing, setFixing] = useState<number | null>(null);
  const canEdit = useCan('errors:edit') && !replayOf;
  const errors = useErrorRows(jobId, filter, revision);
  const facets = errors.data?.facets ?? [];
  const set = (key: keyof ErrorRowFilterView) => (event: { target: { value: string } }) => setFilter((f) => ({ ...f, [key]: event.target.value || undefined }));

  return (
    <Card
      title={`${replayOf ? 'Rows this replay tried' : 'Error rows'}${errors.data ? ` · ${errors.data.total.toLocaleString('en-US')}` : ''}`}
      actions={
        <a
          href={`/api/jobs/${jobId}/errors.csv?${errorRowQuery(filter)}`}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50"
          download
        >
          Download CSV
        </a>
      }
    >
      <div className="mb-3 grid grid-cols-2 gap-3 md:grid-cols-4">
        <Select aria-label="Stage" value={filter.stage ?? ''} onChange={set('stage')}>
          <option value="">All stages</option>
          {unique(facets.map((f) => f.stage)).map((s) => (
            <option key={s}>{s}</option>
          ))}
        </Select>
        <Select aria-label="Field" value={filter.field ?? ''} onChange={set('field')}>
          <option value="">All fields</option>
          {unique(facets.map((f) => f.field).filter((f): f is string => !!f)).map((f) => (
            <option key={f}>{f}</option>
          ))}
        </Select>
        <Select aria-label="Code" value={filter.code ?? ''} onChange={set('code')}>
          <option value="">All codes</option>
          {unique(facets.map((f) => f.code)).map((c) => (
            <option key={c}>{c}</option>
          ))}
        </Select>
        <TextInput aria-label="Search by key" placeholder="Search by source key…" value={filter.key ?? ''} onChange={set('key')} />
      </div>
      {replayOf ? (
        <p className="mb-3 text-xs text-slate-600">
          The rows this replay landed and those that failed again. Rows that still fail are corrected on{' '}
          <Link href={`/jobs/${replayOf}`} className="text-indigo-700 hover:underline">
            job {replayOf.slice(0, 8)}
          </Link>
          .
        </p>
      ) : (
        <label className="mb-3 flex items-center gap-2 text-xs text-slate-600">
          <input type="checkbox" checked={!!filter.includeResolved} onChange={(e) => setFilter((f) => ({ ...f, includeResolved: e.target.checked ? 'true' : undefined }))} />
          Show rows that landed after a replay
        </label>
      )}
      <ErrorNotice error={errors.error} />
      <DataTable
        rows={errors.data?.rows ?? []}
        rowKey={(r) => String(r.id)}
        empty={errors.isLoading ? 'Loading…' : replayOf ? 'This replay has not tried any rows yet.' : 'No error rows.'}
        columns={[
          { header: 'Source key', cell: (r) => <span className="font-mono text-xs">{r.sourceKey.join(', ')}</span> },
          {
            header: 'Stage',
            cell: (r) =>
              r.resolvedAt ? (
                <span data-testid="error-row-landed">
                  <Badge tone="good">landed</Badge>
                  <span className="ml-1 text-xs text-slate-500">
                    {r.resolvedByJobId === jobId ? 'by this replay' : r.resolvedByJobId ? `after replay ${r.resolvedByJobId.slice(0, 8)}` : 'when replayed one at a time'}
                  </span>
                </span>
              ) : (
                <span data-testid="error-row-open">
                  <Badge tone={r.stage === 'write' ? 'bad' : 'warn'}>{r.stage}</Badge>
                  {replayOf && <span className="ml-1 text-xs text-slate-500">failed again</span>}
                </span>
              ),
          },
          { header: 'Field', cell: (r) => <span className="font-mono text-xs">{r.field ?? '—'}</span> },
          { header: 'Code', cell: (r) => <span className="font-mono text-xs">{r.code}</span> },
          {
            header: 'Reason',
            cell: (r) => (
              <span className="text-xs">
                {r.message}
                {r.editedAt && <span className="ml-1 text-slate-500">(values corrected by {r.editedByEmail})</span>}
                <span className="ml-1 text-slate-400">· v{r.mappingVersion}</span>
              </span>
            ),
          },
          {
            header: 'Source row',
            cell: (r) => (
              <Fragment>
                <details>
                  <summary className="cursor-pointer text-xs text-indigo-700">show</summary>
                  <pre className="max-w-md whitespace-pre-wrap text-xs">{JSON.stringify(r.sourceRow, null, 1)}</pre>
                </details>
                {canEdit && !r.resolvedAt && fixing !== r.id && (
                  <button type="button" className="mt-1 text-xs font-medium text-indigo-700 hover:underline" onClick={() => setFixing(r.id)}>
                    Fix &amp; replay
                  </button>
                )}
              </Fragment>
            ),
          },
        ]}
      />
      {fixing !== null && errors.data?.rows.some((r) => r.id === fixing) && (
        <div className="mt-3">
          <FixErrorRow jobId={jobId} row={errors.data.rows.find((r) => r.id === fixing) as NonNullable<typeof errors.data>['rows'][number]} onClose={() => setFixing(null)} />
        </div>
      )}
      {errors.data && errors.data.total > errors.data.rows.length && (
        <p className="mt-2 text-xs text-slate-500">
          Showing the first {errors.data.rows.length} of {errors.data.total.toLocaleString('en-US')}; narrow the filters or download the CSV for all.
        </p>
      )}
    </Card>
  );
}
