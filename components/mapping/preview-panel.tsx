'use client';
import { useState, type FormEvent } from 'react';
import type { TableDetail } from '@/lib/connectors/connector';
import type { MappingPreview, WriteCheck } from '@/lib/schemas/mapping-preview';
import type { MappingSpec } from '@/lib/schemas/mapping-spec';
import { usePreviewMapping, type MappingPreviewView, type PreviewRow, type PreviewSubject } from '@/hooks/use-mappings';
import { useCan } from '@/components/layout/actor-context';
import { Button } from '@/components/ui/button';
import { ErrorNotice } from '@/components/ui/card';

const PREVIEW_LIMIT = 20;

type ParsedKeys = { keys: (string | number)[][] } | { error: string };

/** "42, 43" → [[42], [43]]; composite keys as "1|EU, 2|US". Numbers for numeric key columns. */
export function parseKeys(text: string, keyColumns: readonly string[], table: TableDetail): ParsedKeys {
  const entries = text
    .split(/[,;\n]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (keyColumns.length === 0) return { error: 'Choose the source key first.' };
  if (entries.length > 100) return { error: 'At most 100 keys at a time.' };
  const keys: (string | number)[][] = [];
  for (const entry of entries) {
    const parts = keyColumns.length === 1 ? [entry] : entry.split('|').map((part) => part.trim());
    if (parts.length !== keyColumns.length) {
      return { error: `"${entry}" needs ${keyColumns.length} parts separated by | (${keyColumns.join(' | ')})` };
    }
    keys.push(
      parts.map((part, index) => {
        const family = table.columns.find((column) => column.name === keyColumns[index])?.family;
        const numeric = (family === 'integer' || family === 'float') && /^[+-]?\d+(\.\d+)?$/.test(part);
        return numeric ? Number(part) : part;
      }),
    );
  }
  return { keys };
}

function ValueText({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="italic text-slate-400">null</span>;
  if (value === '') return <span className="italic text-slate-400">(empty)</span>;
  if (typeof value === 'object') return <>{JSON.stringify(value)}</>;
  return <>{String(value)}</>;
}

const valueTitle = (value: unknown): string =>
  value === null || value === undefined ? 'null' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/**
 * Runs the mapping on real source rows through the engine and shows source beside target.
 * Roles that may edit mappings preview the draft; the others only saved versions (the
 * server refuses them a spec of their own, which could read any column of any table).
 */
export function PreviewPanel({
  sourceConnectionId,
  targetConnectionId,
  savedVersion,
  spec,
  sourceTable,
  targetTable,
}: {
  sourceConnectionId: string;
  targetConnectionId: string;
  /** The saved version the editor shows, if any. */
  savedVersion?: { mappingId: string; version: number };
  /** The schema-valid spec, or null while the draft has schema errors. */
  spec: MappingSpec | null;
  sourceTable: TableDetail;
  targetTable: TableDetail;
}) {
  const canWrite = useCan('mappings:write');
  const target: PreviewSubject | null =
    canWrite && spec ? { sourceConnectionId, targetConnectionId, spec } : !canWrite && savedVersion ? savedVersion : null;
  const [keysText, setKeysText] = useState('');
  const [keysError, setKeysError] = useState<string | null>(null);
  const [ran, setRan] = useState<{ spec: MappingSpec; json: string; keyed: boolean } | null>(null);
  const preview = usePreviewMapping();
  const specJson = spec ? JSON.stringify(spec) : null;
  const outdated = ran !== null && preview.data !== undefined && specJson !== ran.json;

  function run(event?: FormEvent) {
    event?.preventDefault();
    if (!spec || !target) return;
    let keys: (string | number)[][] | undefined;
    if (keysText.trim() !== '') {
      const parsed = parseKeys(keysText, spec.source.key, sourceTable);
      if ('error' in parsed) {
        setKeysError(parsed.error);
        return;
      }
      keys = parsed.keys;
    }
    setKeysError(null);
    setRan({ spec, json: JSON.stringify(spec), keyed: keys !== undefined });
    preview.mutate({ ...target, keys, limit: PREVIEW_LIMIT });
  }

  return (
    <section aria-label="Preview" className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <header className="flex flex-wrap items-center gap-3 border-b border-slate-200 px-4 py-3">
        <h2 className="text-sm font-semibold text-slate-800">Preview on real rows</h2>
        <span className="text-xs text-slate-500">Maps and writes the rows exactly as a job would, then rolls the writes back: nothing is kept.</span>
      </header>
      <div className="space-y-3 p-4">
        <form onSubmit={run} className="flex flex-wrap items-end gap-3" aria-label="Preview options">
          <label className="flex flex-col gap-0.5 text-[11px] font-medium text-slate-500">
            Source keys
            <input
              value={keysText}
              onChange={(e) => setKeysText(e.target.value)}
              placeholder={spec && spec.source.key.length > 1 ? '1|EU, 2|US' : '42, 43'}
              aria-invalid={keysError ? true : undefined}
              className="w-72 rounded border border-slate-300 px-2 py-1.5 font-mono text-xs shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 aria-[invalid=true]:border-red-500"
            />
          </label>
          <Button type="submit" disabled={!spec || !target || preview.isPending}>
            {preview.isPending ? 'Running…' : 'Preview'}
          </Button>
          <span className="pb-1.5 text-xs text-slate-500">
            {!target && spec
              ? 'Your role can preview saved versions only: save the mapping first.'
              : spec
                ? `Empty: the first ${PREVIEW_LIMIT} rows (after filters). Or list keys, separated by commas.`
                : 'Fix the errors listed under Checks to preview.'}
          </span>
        </form>
        {keysError && (
          <p role="alert" className="text-xs text-red-700">
            {keysError}
          </p>
        )}
        <ErrorNotice error={preview.error} />
        {preview.data && ran && (
          <PreviewResult preview={preview.data} spec={ran.spec} keyed={ran.keyed} outdated={outdated} sourceTable={sourceTable} targetTable={targetTable} />
        )}
      </div>
    </section>
  );
}

/** The server's answer is a MappingPreview; the hook's own declaration of it has no writeCheck yet. */
type PreviewView = MappingPreviewView & Partial<Pick<MappingPreview, 'writeCheck'>>;

/** Whether the rows' writes were tried: when they could not be, write errors may be missing. */
function WriteCheckNote({ check }: { check: WriteCheck | undefined }) {
  if (!check || check.status === 'not_needed') return null;
  if (check.status === 'checked') {
    return (
      <p data-testid="preview-write-check" data-status={check.status} className="text-xs text-slate-500">
        Writes tried on the target and rolled back: write errors are the database&apos;s own.
      </p>
    );
  }
  return (
    <p role="status" data-testid="preview-write-check" data-status={check.status} className="rounded border border-amber-200 bg-amber-50 px-2 py-1 text-xs text-amber-900">
      {check.message}
    </p>
  );
}

export function PreviewResult({
  preview,
  spec,
  keyed,
  outdated,
  sourceTable,
  targetTable,
}: {
  preview: PreviewView;
  spec: MappingSpec;
  keyed: boolean;
  outdated: boolean;
  sourceTable: TableDetail;
  targetTable: TableDetail;
}) {
  const used = new Set([...spec.source.key, ...spec.fields.flatMap((field) => field.sources)]);
  const sourceColumns = sourceTable.columns.map((c) => c.name).filter((name) => used.has(name));
  const targetColumns = preview.targetColumns;
  const okCount = preview.rows.filter(isOk).length;
  const errorCount = preview.rows.length - okCount;
  const targetType = (name: string) => targetTable.columns.find((c) => c.name === name)?.dataType;

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <p className="font-medium text-slate-800" data-testid="preview-summary">
          {preview.rows.length} row{preview.rows.length === 1 ? '' : 's'} · <span className="text-emerald-700">{okCount} ok</span> ·{' '}
          <span className={errorCount > 0 ? 'text-red-700' : 'text-slate-500'}>{errorCount} with errors</span>
        </p>
        {outdated && <span className="rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-800">The mapping changed since this preview: run it again.</span>}
      </div>
      <WriteCheckNote check={preview.writeCheck} />
      {preview.rows.length === 0 ? (
        <p className="text-sm text-slate-500">{keyed ? 'No source rows have these keys.' : 'No source rows match (check the source filters).'}</p>
      ) : (
        <div className="max-h-[36rem] overflow-auto rounded border border-slate-200">
          <table data-testid="preview-table" className="min-w-full border-collapse text-xs">
            <thead className="sticky top-0 z-10">
              <tr>
                <th rowSpan={2} className="border-b border-r border-slate-200 bg-slate-100 px-2 py-1 text-left font-semibold text-slate-600">
                  Status
                </th>
                <th colSpan={Math.max(sourceColumns.length, 1)} className="border-b border-r-2 border-slate-200 border-r-slate-300 bg-slate-100 px-2 py-1 text-left font-semibold text-slate-600">
                  Source · <span className="font-mono font-normal">{spec.source.table}</span>
                </th>
                <th colSpan={Math.max(targetColumns.length, 1)} className="border-b border-slate-200 bg-indigo-50 px-2 py-1 text-left font-semibold text-indigo-800">
                  Target · <span className="font-mono font-normal">{spec.target.table}</span>
                </th>
              </tr>
              <tr>
                {sourceColumns.map((name, index) => (
                  <th
                    key={`s-${name}`}
                    scope="col"
                    className={`border-b border-slate-200 bg-slate-50 px-2 py-1 text-left font-mono font-medium text-slate-700 ${index === sourceColumns.length - 1 ? 'border-r-2 border-r-slate-300' : ''}`}
                  >
                    {name}
                  </th>
                ))}
                {sourceColumns.length === 0 && <th className="border-b border-r-2 border-slate-200 border-r-slate-300 bg-slate-50" />}
                {targetColumns.map((name) => (
                  <th key={`t-${name}`} scope="col" title={targetType(name)} className="border-b border-slate-200 bg-indigo-50/60 px-2 py-1 text-left font-mono font-medium text-indigo-900">
                    {name}
                  </th>
                ))}
              </tr>
            </thead>
            {preview.rows.map((row, index) => (
              <PreviewRowView key={`${JSON.stringify(row.sourceKey)}-${index}`} row={row} sourceColumns={sourceColumns} targetColumns={targetColumns} />
            ))}
          </table>
        </div>
      )}
    </div>
  );
}

const isOk = (row: PreviewRow) => row.errors.length === 0 && row.target !== null;

function PreviewRowView({ row, sourceColumns, targetColumns }: { row: PreviewRow; sourceColumns: string[]; targetColumns: string[] }) {
  const ok = isOk(row);
  const errorsByField = new Map<string, string[]>();
  // A constraint over several columns names them all ("region,order_no"): mark each.
  for (const error of row.errors) {
    for (const field of error.field.split(',')) errorsByField.set(field, [...(errorsByField.get(field) ?? []), error.message]);
  }
  const columnCount = 1 + Math.max(sourceColumns.length, 1) + targetColumns.length;
  return (
    <tbody data-testid="preview-row" data-status={ok ? 'ok' : 'error'} data-key={row.sourceKey.map(String).join('|')} className="border-b border-slate-200">
      <tr className={ok ? 'hover:bg-slate-50' : 'bg-red-50/30'}>
        <td className="whitespace-nowrap border-r border-slate-100 px-2 py-1 align-top">
          {ok ? (
            <span className="rounded-full bg-emerald-100 px-1.5 py-0.5 text-[10px] font-semibold text-emerald-800">ok</span>
          ) : (
            <span className="rounded-full bg-red-100 px-1.5 py-0.5 text-[10px] font-semibold text-red-800">
              {row.errors.length} error{row.errors.length === 1 ? '' : 's'}
            </span>
          )}
        </td>
        {sourceColumns.map((name, index) => (
          <td
            key={`s-${name}`}
            title={valueTitle(row.source[name])}
            className={`max-w-[14rem] truncate px-2 py-1 align-top font-mono text-slate-700 ${index === sourceColumns.length - 1 ? 'border-r-2 border-r-slate-300' : ''}`}
          >
            <ValueText value={row.source[name]} />
          </td>
        ))}
        {sourceColumns.length === 0 && <td className="border-r-2 border-r-slate-300" />}
        {targetColumns.map((name) => {
          const messages = errorsByField.get(name);
          if (messages) {
            return (
              <td key={`t-${name}`} title={messages.join('\n')} data-error="true" className="max-w-[14rem] truncate bg-red-100 px-2 py-1 align-top font-medium text-red-800">
                <span aria-hidden>⚠ </span>
                {messages[0]}
              </td>
            );
          }
          const value = row.target?.[name];
          return (
            <td key={`t-${name}`} title={row.target ? valueTitle(value) : 'not computed: the row has errors'} className="max-w-[14rem] truncate px-2 py-1 align-top font-mono text-slate-900">
              {row.target ? <ValueText value={value} /> : <span className="text-slate-300">—</span>}
            </td>
          );
        })}
      </tr>
      {row.errors.length > 0 && (
        <tr className="bg-red-50/30">
          <td colSpan={columnCount} className="px-2 pb-1.5 pt-0">
            <ul className="space-y-0.5 pl-10 text-[11px] text-red-800">
              {row.errors.map((error, index) => (
                <li key={index}>
                  <span className="font-mono font-semibold">{error.field || '(row)'}</span>: {error.message}{' '}
                  <span className="text-red-500">
                    ({error.stage}, {error.code})
                  </span>
                </li>
              ))}
            </ul>
          </td>
        </tr>
      )}
    </tbody>
  );
}
