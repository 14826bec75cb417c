'use client';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { useAuditActors, useAuditLog, type AuditEntryView, type AuditParams } from '@/hooks/use-audit';
import { auditEntityKinds } from '@/lib/audit/audit-query';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, ErrorNotice, PageHeader } from '@/components/ui/card';
import { DataTable } from '@/components/ui/data-table';
import { Field, Select, TextInput } from '@/components/ui/field';
import { actionLabel, dayBounds, entityKindLabels, valueText } from './audit-labels';

/** The URL's filters (user, kind, entity, local days) and page; the page's state lives in the URL, so links and Back keep it. */
const filterNames = ['actor', 'kind', 'entity', 'from', 'to'] as const;
type FilterName = (typeof filterNames)[number];

function apiParams(search: URLSearchParams): AuditParams {
  const from = dayBounds(search.get('from') ?? '');
  const to = dayBounds(search.get('to') ?? '');
  return {
    actorId: search.get('actor') ?? undefined,
    entityType: search.get('kind') ?? undefined,
    entityId: search.get('entity') ?? undefined,
    from: from?.start,
    to: to?.end,
    before: search.get('before') ?? undefined,
    after: search.get('after') ?? undefined,
  };
}

const LONG_VALUE = 80;

function Value({ value }: { value: unknown }) {
  const text = valueText(value);
  if (text.length <= LONG_VALUE) return <span className="whitespace-pre-wrap break-all font-mono text-xs">{text}</span>;
  return (
    <details>
      <summary className="cursor-pointer font-mono text-xs">{text.slice(0, LONG_VALUE)}…</summary>
      <pre className="mt-1 max-h-80 max-w-xl overflow-auto whitespace-pre-wrap break-all text-xs">{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}

/** Changed fields only, folded: "3 fields changed" opens a before → after table. */
function Changes({ entry }: { entry: AuditEntryView }) {
  const count = entry.changes.length + entry.moreChanges;
  if (count === 0) return <span className="text-slate-400">—</span>;
  return (
    <details data-testid="audit-changes">
      <summary className="cursor-pointer text-sm text-indigo-700 hover:underline">
        {count === 1 ? `1 field: ${entry.changes[0]?.path ?? ''}` : `${count} fields changed`}
      </summary>
      <table className="mt-2 text-xs">
        <thead>
          <tr className="text-left text-slate-500">
            <th className="pr-3 font-medium">Field</th>
            <th className="pr-3 font-medium">Before</th>
            <th className="font-medium">After</th>
          </tr>
        </thead>
        <tbody>
          {entry.changes.map((change) => (
            <tr key={change.path} className="align-top" data-testid="audit-change">
              <td className="pr-3 font-mono text-slate-700">{change.path}</td>
              <td className="pr-3 text-red-800">
                <Value value={change.before} />
              </td>
              <td className="text-emerald-800">
                <Value value={change.after} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {entry.moreChanges > 0 && <p className="mt-1 text-xs text-slate-500">and {entry.moreChanges} more field(s)</p>}
    </details>
  );
}

function Entity({ entity }: { entity: AuditEntryView['entity'] }) {
  const label = entity.href ? (
    <Link href={entity.href} className="text-indigo-700 hover:underline" data-testid="audit-entity-link">
      {entity.label}
    </Link>
  ) : (
    <span>{entity.label}</span>
  );
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      {label}
      {entity.state === 'archived' && <Badge tone="warn">archived</Badge>}
      {entity.state === 'gone' && <Badge>no longer exists</Badge>}
    </span>
  );
}

/**
 * The audit log: who did what to which entity and when, newest first, 50 per page, filtered
 * by user, kind of entity and days; each entry links to its entity and folds out the fields
 * that changed (secrets are redacted by the server, on write and again on read).
 */
export function AuditLog() {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const params = apiParams(search);
  const page = useAuditLog(params);
  const actors = useAuditActors();
  const [dates, setDates] = useState({ from: search.get('from') ?? '', to: search.get('to') ?? '' });

  /** New filters start from the newest page; paging keeps the filters. */
  const go = (changes: Partial<Record<FilterName | 'before' | 'after', string | null>>) => {
    const next = new URLSearchParams(search.toString());
    if (!('before' in changes) && !('after' in changes)) {
      next.delete('before');
      next.delete('after');
    }
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    const query = next.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };
  const filtered = filterNames.some((name) => search.get(name));
  const entries = page.data?.entries ?? [];

  return (
    <>
      <PageHeader title="Audit log" subtitle="Who changed what, and when. Secrets are never recorded or shown." />
      <div className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-5" aria-label="Filters">
        <Field label="User">
          <Select value={search.get('actor') ?? ''} onChange={(e) => go({ actor: e.target.value || null })}>
            <option value="">Everyone</option>
            {(actors.data ?? []).map((a) => (
              <option key={a.id} value={a.id}>
                {a.email}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Kind">
          <Select value={search.get('kind') ?? ''} onChange={(e) => go({ kind: e.target.value || null, entity: null })}>
            <option value="">Everything</option>
            {auditEntityKinds.map((kind) => (
              <option key={kind} value={kind}>
                {entityKindLabels[kind] ?? kind}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="From">
          <TextInput
            type="date"
            value={dates.from}
            max={dates.to || undefined}
            onChange={(e) => {
              setDates((d) => ({ ...d, from: e.target.value }));
              if (!e.target.value || dayBounds(e.target.value)) go({ from: e.target.value || null });
            }}
          />
        </Field>
        <Field label="To">
          <TextInput
            type="date"
            value={dates.to}
            min={dates.from || undefined}
            onChange={(e) => {
              setDates((d) => ({ ...d, to: e.target.value }));
              if (!e.target.value || dayBounds(e.target.value)) go({ to: e.target.value || null });
            }}
          />
        </Field>
        <div className="flex items-end">
          <Button
            variant="secondary"
            disabled={!filtered}
            onClick={() => {
              setDates({ from: '', to: '' });
              router.replace(pathname, { scroll: false });
            }}
          >
            Clear filters
          </Button>
        </div>
      </div>
      {search.get('entity') && (
        <p className="mb-3 text-sm text-slate-600">
          Showing one {search.get('kind') ?? 'entity'} only ·{' '}
          <button type="button" className="text-indigo-700 hover:underline" onClick={() => go({ entity: null })}>
            show all
          </button>
        </p>
      )}
      <ErrorNotice error={page.error} />
      <Card>
        <DataTable
          rows={entries}
          rowKey={(e) => String(e.id)}
          empty={page.isLoading ? 'Loading…' : filtered ? 'No entries match these filters.' : 'Nothing recorded yet.'}
          columns={[
            { header: 'When', className: 'whitespace-nowrap', cell: (e) => <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time> },
            {
              header: 'Who',
              cell: (e) =>
                e.actorId ? (
                  <button type="button" className="text-left hover:underline" title="Only this user" onClick={() => go({ actor: e.actorId })}>
                    {e.actorEmail}
                  </button>
                ) : (
                  e.actorEmail
                ),
            },
            {
              header: 'Did',
              cell: (e) => (
                <span data-testid="audit-entry">
                  <span title={e.action}>{actionLabel(e.action)}</span> <Entity entity={e.entity} />
                  {e.entity.id && (
                    <button
                      type="button"
                      className="ml-2 text-xs text-slate-500 hover:text-indigo-700 hover:underline"
                      onClick={() => go({ kind: e.entity.kind, entity: e.entity.id })}
                    >
                      history
                    </button>
                  )}
                </span>
              ),
            },
            { header: 'Changes', cell: (e) => <Changes entry={e} /> },
          ]}
        />
        <div className="mt-3 flex items-center justify-between">
          <Button variant="secondary" disabled={!page.data?.newer} onClick={() => go({ after: page.data?.newer ?? null, before: null })}>
            ← Newer
          </Button>
          <span className="text-xs text-slate-500">{entries.length > 0 ? `${entries.length} entries on this page, newest first` : ''}</span>
          <Button variant="secondary" disabled={!page.data?.older} onClick={() => go({ before: page.data?.older ?? null, after: null })}>
            Older →
          </Button>
        </div>
      </Card>
    </>
  );
}
