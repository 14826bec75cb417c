'use client';
import Link from 'next/link';
import { useState } from 'react';
import type { ConsistencyReportView, DiffKindName } from '@/lib/schemas/consistency';
import type { DiffPage, ListedDiff } from '@/lib/consistency/list-diffs';
import type { CorrectionNote } from '@/lib/corrections/correction-notes';
import { diffsCsvUrl, maxDiffsShown, useConsistencyDiffs } from '@/hooks/use-consistency';
import { Button } from '@/components/ui/button';
import { Card, ErrorNotice } from '@/components/ui/card';
import { DataTable, type Column } from '@/components/ui/data-table';
import { TextInput } from '@/components/ui/field';
import { formatCount } from '@/components/jobs/format';
import { FieldDiffTable, RowsSideBySide } from './diff-values';

const tabs: { kind: DiffKindName; label: string; count: (r: ConsistencyReportView) => number }[] = [
  { kind: 'different', label: 'Different', count: (r) => r.different },
  { kind: 'missing', label: 'Missing in target', count: (r) => r.missing },
  { kind: 'extra', label: 'Extra in target', count: (r) => r.extra },
  { kind: 'null_key', label: 'NULL keys', count: (r) => r.nullKeys },
  { kind: 'duplicate_key', label: 'Duplicate keys', count: (r) => r.duplicateKeys },
];

/**
 * Where the job page lists a recorded error row: its error rows searched by the key's
 * text (JSON of the key tuple, the same form error rows store; exact for plain key copies).
 */
export const errorRowHref = (jobId: string, keyText: string) => `/jobs/${jobId}?errorKey=${encodeURIComponent(keyText)}`;

function RowDetails({ label, row }: { label: string; row: Record<string, unknown> | null }) {
  if (!row) return null;
  return (
    <details>
      <summary className="cursor-pointer text-xs text-indigo-700">{label}</summary>
      <RowsSideBySide source={row} target={null} differing={new Set()} />
    </details>
  );
}

/** Key parts as the error rows show them: "42" or "ACME, 7"; NULL parts spelled out. */
const keyLabel = (key: unknown[]) => key.map((part) => (part === null || part === undefined ? 'NULL' : String(part))).join(', ');

/** The key was compared with an analyst's correction: by whom and when, and the job whose error row it corrected. */
function CorrectedBy({ note }: { note: CorrectionNote }) {
  return (
    <span className="block text-xs text-emerald-800" data-testid="diff-corrected-by">
      corrected by {note.correctedByEmail ?? 'an analyst'} at {new Date(note.correctedAt).toLocaleString()}
      {note.errorRow && (
        <>
          {' '}
          (
          <Link href={errorRowHref(note.errorRow.jobId, note.sourceKeyText)} className="text-indigo-700 hover:underline">
            job {note.errorRow.jobId.slice(0, 8)}
          </Link>
          )
        </>
      )}
    </span>
  );
}

/** Keys this run compared with corrections instead of the source rows: most match, so no tab lists them. */
function CorrectedKeys({ corrections, searching }: { corrections: DiffPage['corrections']; searching: boolean }) {
  if (!corrections || corrections.total === 0) return null;
  return (
    <details open={searching} className="mb-3 rounded-md border border-emerald-200 bg-emerald-50/50 px-3 py-2 text-sm" data-testid="diff-corrections">
      <summary className="cursor-pointer text-emerald-900">
        {formatCount(corrections.total)} {corrections.total === 1 ? 'key was' : 'keys were'} compared with an analyst&apos;s correction instead of the source row
      </summary>
      <ul className="mt-1 space-y-1">
        {corrections.rows.map((note) => (
          <li key={note.sourceKeyText} className="flex items-baseline gap-2">
            <span className="font-mono text-xs">{keyLabel(note.sourceKey)}</span>
            <CorrectedBy note={note} />
          </li>
        ))}
      </ul>
      {corrections.total > corrections.rows.length && (
        <p className="mt-1 text-xs text-slate-500">The {formatCount(corrections.rows.length)} latest are shown; search by key for the others.</p>
      )}
    </details>
  );
}

const keyColumn: Column<ListedDiff> = {
  header: 'Key',
  className: 'w-40',
  cell: (d) => (
    <>
      <span className="font-mono text-xs" data-testid="diff-key" title={d.keyText}>
        {keyLabel(d.key)}
      </span>
      {d.correction && <CorrectedBy note={d.correction} />}
    </>
  ),
};

const columnsByKind: Record<DiffKindName, Column<ListedDiff>[]> = {
  different: [
    keyColumn,
    {
      header: 'Fields that differ',
      cell: (d) => (
        <>
          <FieldDiffTable fields={d.fields ?? []} corrected={d.correction !== null} />
          <details>
            <summary className="cursor-pointer text-xs text-indigo-700">all fields</summary>
            <RowsSideBySide source={d.sourceRow} target={d.targetRow} differing={new Set((d.fields ?? []).map((f) => f.field))} />
          </details>
        </>
      ),
    },
  ],
  missing: [
    keyColumn,
    {
      header: 'Recorded error',
      cell: (d) =>
        d.errorRow ? (
          <Link href={errorRowHref(d.errorRow.jobId, d.errorRow.sourceKeyText)} className="text-xs text-indigo-700 hover:underline" data-testid="diff-error-link">
            {d.errorRow.code}: {d.errorRow.message}
          </Link>
        ) : (
          <span className="text-xs text-slate-500">none: the row should be in the target</span>
        ),
    },
    { header: 'Source row (mapped)', cell: (d) => <RowDetails label="show" row={d.sourceRow} /> },
  ],
  extra: [keyColumn, { header: 'Target row', cell: (d) => <RowDetails label="show" row={d.targetRow} /> }],
  null_key: [keyColumn, { header: 'Source row (mapped)', cell: (d) => <RowDetails label="show" row={d.sourceRow} /> }],
  duplicate_key: [keyColumn, { header: 'Source row (mapped)', cell: (d) => <RowDetails label="show" row={d.sourceRow} /> }],
};

/** Tabs per kind of difference, up to 1,000 rows each; the CSV has all of them. */
export function DiffDrilldown({ report }: { report: ConsistencyReportView }) {
  const initial = tabs.find((t) => t.count(report) > 0)?.kind ?? 'different';
  const [kind, setKind] = useState<DiffKindName>(initial);
  const [key, setKey] = useState('');
  const diffs = useConsistencyDiffs(report.id, kind, key.trim());
  // The diffs route answers with listDiffs' DiffPage (the hook types only its base view).
  const pages = (diffs.data?.pages ?? []) as DiffPage[];
  const rows = pages.flatMap((p) => p.diffs);
  const total = tabs.find((t) => t.kind === kind)?.count(report) ?? 0;

  return (
    <Card
      title="Differences"
      actions={
        <a href={diffsCsvUrl(report.id)} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50" download>
          Download CSV
        </a>
      }
    >
      <div role="tablist" aria-label="Kind of difference" className="mb-3 flex flex-wrap gap-1 border-b border-slate-200">
        {tabs.map((t) => (
          <button
            key={t.kind}
            type="button"
            role="tab"
            aria-selected={kind === t.kind}
            data-testid={`diff-tab-${t.kind}`}
            onClick={() => setKind(t.kind)}
            className={`-mb-px border-b-2 px-3 py-1.5 text-sm ${kind === t.kind ? 'border-indigo-600 font-medium text-indigo-700' : 'border-transparent text-slate-600 hover:text-slate-900'}`}
          >
            {t.label} · {formatCount(t.count(report))}
          </button>
        ))}
      </div>
      <div className="mb-3 max-w-sm">
        <TextInput aria-label="Search differences by key" placeholder="Search by key…" value={key} onChange={(e) => setKey(e.target.value)} />
      </div>
      <CorrectedKeys corrections={pages[0]?.corrections} searching={key.trim() !== ''} />
      <ErrorNotice error={diffs.error} />
      <div role="tabpanel" data-testid={`diff-panel-${kind}`}>
        <DataTable
          rows={rows}
          rowKey={(d) => String(d.id)}
          columns={columnsByKind[kind]}
          empty={diffs.isLoading ? 'Loading…' : key ? 'No differences with this key.' : 'None.'}
        />
      </div>
      <div className="mt-2 flex items-center gap-3 text-xs text-slate-500">
        {diffs.hasNextPage && (
          <Button variant="secondary" disabled={diffs.isFetchingNextPage} onClick={() => diffs.fetchNextPage()}>
            {diffs.isFetchingNextPage ? 'Loading…' : 'Show more'}
          </Button>
        )}
        {!key && total > rows.length && !diffs.hasNextPage && !diffs.isLoading && (
          <span>
            Showing {formatCount(rows.length)} of {formatCount(total)}
            {rows.length >= maxDiffsShown ? ` (at most ${formatCount(maxDiffsShown)} here)` : ''}; download the CSV for all.
          </span>
        )}
      </div>
    </Card>
  );
}
