'use client';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { Fragment, useState } from 'react';
import { errorRowQuery, useErrorRows, type ErrorRowFilterView, type ErrorRowView } from '@/hooks/use-jobs';
import { useDismissErrorRows } from '@/hooks/use-syncs';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, ErrorNotice } from '@/components/ui/card';
import { DataTable } from '@/components/ui/data-table';
import { Select, TextInput } from '@/components/ui/field';
import { useCan } from '@/components/layout/actor-context';
import type { FacetSelection } from '@/lib/jobs/error-facets';
import { ErrorRowPlanLinksNote } from './error-row-plan-links';
import { ErrorTriage } from './error-triage';
import { FixErrorRow } from './fix-error-row';

const unique = <T,>(values: T[]) => [...new Set(values)];

const when = (iso: string) => new Date(iso).toLocaleString();

/** "dismissed by ann@… at 3 Dec, 14:05": who gave up on the row (a sync no longer retries it). */
const dismissedText = (r: ErrorRowView) => `by ${r.dismissedByEmail ?? 'unknown'} at ${when(r.dismissedAt as string)}`;

/** Who landed a resolved row: this replay, a later run of the job itself (a sync's retry), another replay, or one at a time. */
function landedText(r: ErrorRowView, jobId: string, replayOf: string | null): string {
  if (r.resolvedByJobId === jobId) return replayOf ? 'by this replay' : 'when retried by a later run';
  return r.resolvedByJobId ? `after replay ${r.resolvedByJobId.slice(0, 8)}` : 'when replayed one at a time';
}
/** Rows per page: the API's default. */
const PAGE_ROWS = 100;

/** The list's filters plus its order; the API also takes the page to start after (`after`). */
type PanelFilter = ErrorRowFilterView & { sort?: 'key_desc' };

/** The cursor of the page after this one, as the API returns it (null on the last page). */
const nextCursorOf = (page: unknown): string | null =>
  typeof page === 'object' && page !== null && 'nextCursor' in page && typeof page.nextCursor === 'string' ? page.nextCursor : null;

/**
 * A job's error rows, or on a replay's page (`replayOf` = the replayed job) the rows it
 * tried: those it landed and those that failed again. They belong to the replayed job,
 * which is where they are corrected. A sync's page (`canDismiss`) also offers admins to
 * dismiss a row: the sync stops retrying it.
 */
export function ErrorRowsPanel({ jobId, revision, replayOf = null, canDismiss = false }: { jobId: string; revision: string; replayOf?: string | null; canDismiss?: boolean }) {
  // ?errorKey= opens the panel searched by one key (links from consistency differences).
  const linkedKey = useSearchParams().get('errorKey') ?? undefined;
  const [filter, setFilterState] = useState<PanelFilter>({ key: linkedKey });
  // The cursors of the pages shown so far: the last is the current page's (undefined: the first).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [fixing, setFixing] = useState<number | null>(null);
  const canEdit = useCan('errors:edit') && !replayOf;
  // Replaying writes to the target: admins only. Analysts correct values for an admin to replay.
  const canReplay = useCan('jobs:control');
  const dismiss = useDismissErrorRows(jobId);
  const after = cursors[cursors.length - 1];
  const query: PanelFilter & { after?: string } = after ? { ...filter, after } : filter;
  const errors = useErrorRows(jobId, query, revision);
  const facets = errors.data?.facets ?? [];
  const nextCursor = nextCursorOf(errors.data);
  // Any change of filter or order starts again at the first page.
  const setFilter = (change: (f: PanelFilter) => PanelFilter) => {
    setFilterState(change);
    setCursors([undefined]);
  };
  const set = (key: keyof PanelFilter) => (event: { target: { value: string } }) => setFilter((f) => ({ ...f, [key]: event.target.value || undefined }));
  const select = (selection: FacetSelection) => setFilter((f) => ({ ...f, stage: selection.stage, field: selection.field, code: selection.code }));
  const firstShown = (cursors.length - 1) * PAGE_ROWS + 1;

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
      {!replayOf && <ErrorTriage facets={facets} selection={{ stage: filter.stage, field: filter.field, code: filter.code }} onSelect={select} />}
      <div className="mb-3 grid grid-cols-2 gap-3 md:grid-cols-5">
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
        <Select aria-label="Order" value={filter.sort ?? ''} onChange={set('sort')}>
          <option value="">Key ascending</option>
          <option value="key_desc">Key descending</option>
        </Select>
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
          Show rows that landed {canDismiss ? 'or were dismissed' : 'after a replay'}
        </label>
      )}
      <ErrorNotice error={errors.error ?? dismiss.error} />
      <DataTable
        rows={errors.data?.rows ?? []}
        rowKey={(r) => String(r.id)}
        empty={errors.isLoading ? 'Loading…' : replayOf ? 'This replay has not tried any rows yet.' : 'No error rows.'}
        columns={[
          {
            header: 'Source key',
            cell: (r) => (
              <span className="font-mono text-xs" data-testid="error-row-key">
                {r.sourceKey.join(', ')}
              </span>
            ),
          },
          {
            header: 'Stage',
            cell: (r) =>
              r.dismissedAt ? (
                <span data-testid="error-row-dismissed">
                  <Badge>dismissed</Badge>
                  <span className="ml-1 text-xs text-slate-500">{dismissedText(r)}</span>
                </span>
              ) : r.resolvedAt ? (
                <span data-testid="error-row-landed">
                  <Badge tone="good">landed</Badge>
                  <span className="ml-1 text-xs text-slate-500">{landedText(r, jobId, replayOf)}</span>
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
                <ErrorRowPlanLinksNote jobId={jobId} row={r} canReplay={canReplay} />
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
                    {canReplay ? 'Fix & replay' : 'Correct values'}
                  </button>
                )}
                {canDismiss && canReplay && !r.resolvedAt && (
                  <button
                    type="button"
                    className="ml-2 mt-1 text-xs font-medium text-slate-600 hover:underline disabled:text-slate-300"
                    disabled={dismiss.isPending}
                    onClick={() => dismiss.mutate([r.id])}
                  >
                    Dismiss
                  </button>
                )}
              </Fragment>
            ),
          },
        ]}
      />
      {fixing !== null && errors.data?.rows.some((r) => r.id === fixing) && (
        <div className="mt-3">
          <FixErrorRow jobId={jobId} row={errors.data.rows.find((r) => r.id === fixing) as NonNullable<typeof errors.data>['rows'][number]} canReplay={canReplay} onClose={() => setFixing(null)} />
        </div>
      )}
      {errors.data && (cursors.length > 1 || nextCursor !== null) && (
        <nav aria-label="Error row pages" className="mt-2 flex items-center gap-2 text-xs text-slate-600">
          <span data-testid="error-rows-range">
            Rows {firstShown.toLocaleString('en-US')}–{(firstShown + errors.data.rows.length - 1).toLocaleString('en-US')} of {errors.data.total.toLocaleString('en-US')}, by source key
          </span>
          <span className="ml-auto flex gap-2">
            <Button variant="secondary" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
              Previous
            </Button>
            <Button variant="secondary" disabled={nextCursor === null || errors.isPlaceholderData} onClick={() => nextCursor && setCursors((c) => [...c, nextCursor])}>
              Next
            </Button>
          </span>
        </nav>
      )}
    </Card>
  );
}
