'use client';
import { useState, type ReactNode } from 'react';
import type { MappingConsistencyView } from '@/lib/schemas/consistency';
import { ApiError } from '@/hooks/api-client';
import { useSaveVerifySettings } from '@/hooks/use-consistency';
import { useCan } from '@/components/layout/actor-context';
import { Button } from '@/components/ui/button';
import { Card, ErrorNotice } from '@/components/ui/card';
import { Field, TextInput } from '@/components/ui/field';
import { settingsDraft, settingsRequest, type ColumnDraft, type SettingsDraft } from './settings-draft';

const numeric = new Set(['integer', 'decimal', 'float']);
const temporal = new Set(['timestamp', 'timestamptz', 'time']);
const textual = new Set(['text', 'enum']);

const small = 'rounded-md border border-slate-300 px-1.5 py-1 text-xs aria-[invalid=true]:border-red-500 disabled:bg-slate-50';

function Cell({ show, error, children }: { show: boolean; error?: string; children: ReactNode }) {
  if (!show) return <td className="px-2 py-1.5 text-xs text-slate-300">—</td>;
  return (
    <td className="px-2 py-1.5 align-top">
      {children}
      {error && (
        <span role="alert" className="mt-0.5 block max-w-40 text-xs text-red-600">
          {error}
        </span>
      )}
    </td>
  );
}

const fieldProps = new Set(['exclude', 'tolerance', 'decimalScale', 'timestampPrecision', 'trim', 'emptyAsNull', 'caseInsensitive']);

/** Field errors stand beside their fields; only what no field shows is listed here. */
function SaveError({ error, columns }: { error: unknown; columns: string[] }) {
  if (!(error instanceof ApiError) || error.issues.length === 0) return <ErrorNotice error={error} />;
  const shown = (path: string) => {
    const [, ...rest] = path.split('.');
    if (rest.length === 1) return rest[0] === 'rangeRows';
    return rest[0] === 'columns' && columns.includes(rest[1]) && (rest.length === 2 || (rest.length === 3 && fieldProps.has(rest[2])));
  };
  const others = error.issues.filter((i) => !shown(i.path));
  return <ErrorNotice error={`Not saved: ${others.length > 0 ? others.map((i) => `${i.path} ${i.message}`).join('; ') : 'see the messages beside the fields.'}`} />;
}

/** Per target column: how values are normalized before comparing; plus range size and automatic verification. */
export function VerifySettingsEditor({ mappingId, view }: { mappingId: string; view: MappingConsistencyView }) {
  const canWrite = useCan('mappings:write');
  const save = useSaveVerifySettings(mappingId);
  const [draft, setDraft] = useState<SettingsDraft>(() => settingsDraft(view));
  const [saved, setSaved] = useState(false);
  const issue = (path: string) => (save.error instanceof ApiError ? save.error.issueFor(path) : undefined);

  const setColumn = (name: string, change: Partial<ColumnDraft>) => {
    setSaved(false);
    setDraft((d) => ({ ...d, columns: { ...d.columns, [name]: { ...d.columns[name], ...change } } }));
  };
  const onSave = () => save.mutate(settingsRequest(view, draft), { onSuccess: () => setSaved(true) });

  return (
    <Card title="Verification settings">
      <div className="mb-4 grid gap-4 sm:grid-cols-3">
        <Field label="Rows per verify range" hint="The unit of parallel work" error={issue('rangeRows')}>
          <TextInput
            inputMode="numeric"
            value={draft.rangeRows}
            disabled={!canWrite}
            invalid={!!issue('rangeRows')}
            onChange={(e) => {
              setSaved(false);
              setDraft((d) => ({ ...d, rangeRows: e.target.value }));
            }}
          />
        </Field>
        <label className="mt-6 flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={draft.autoVerify}
            disabled={!canWrite}
            onChange={(e) => {
              setSaved(false);
              setDraft((d) => ({ ...d, autoVerify: e.target.checked }));
            }}
          />
          Verify automatically after every migration
        </label>
      </div>
      <div className="overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="normalization-table">
          <thead>
            <tr className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <th className="px-2 py-2">Target column</th>
              <th className="px-2 py-2">Exclude</th>
              <th className="px-2 py-2">Tolerance ±</th>
              <th className="px-2 py-2">Decimal scale</th>
              <th className="px-2 py-2">Timestamp precision (UTC)</th>
              <th className="px-2 py-2">Trim</th>
              <th className="px-2 py-2">Empty = NULL</th>
              <th className="px-2 py-2">Ignore case</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {view.columns.map((column) => {
              const d = draft.columns[column.name];
              if (!d) return null;
              const path = (field: string) => `columns.${column.name}.${field}`;
              const disabled = !canWrite || d.exclude;
              const check = (field: 'trim' | 'emptyAsNull' | 'caseInsensitive', label: string) => (
                <Cell show={textual.has(column.family)} error={issue(path(field))}>
                  <input type="checkbox" aria-label={`${label} for ${column.name}`} checked={d[field]} disabled={disabled} onChange={(e) => setColumn(column.name, { [field]: e.target.checked })} />
                </Cell>
              );
              return (
                <tr key={column.name} data-testid={`normalization-${column.name}`} className={d.exclude ? 'bg-slate-50 text-slate-400' : undefined}>
                  <td className="px-2 py-1.5">
                    <span className="font-mono text-xs font-medium">{column.name}</span> <span className="text-xs text-slate-500">{column.family}</span>
                    {column.isKey && <span className="ml-1 text-xs font-medium text-indigo-700">key</span>}
                    {issue(`columns.${column.name}`) && (
                      <span role="alert" className="block text-xs text-red-600">
                        {issue(`columns.${column.name}`)}
                      </span>
                    )}
                  </td>
                  <Cell show error={issue(path('exclude'))}>
                    <input
                      type="checkbox"
                      aria-label={`Exclude ${column.name}`}
                      checked={d.exclude}
                      disabled={!canWrite || column.isKey}
                      title={column.isKey ? 'Key columns are how rows are paired; they are always compared' : undefined}
                      onChange={(e) => setColumn(column.name, { exclude: e.target.checked })}
                    />
                  </Cell>
                  <Cell show={numeric.has(column.family)} error={issue(path('tolerance'))}>
                    <input
                      className={`${small} w-20`}
                      aria-label={`Tolerance for ${column.name}`}
                      inputMode="decimal"
                      placeholder="exact"
                      value={d.tolerance}
                      disabled={disabled}
                      aria-invalid={!!issue(path('tolerance')) || undefined}
                      onChange={(e) => setColumn(column.name, { tolerance: e.target.value })}
                    />
                  </Cell>
                  <Cell show={column.family === 'decimal' || column.family === 'float'} error={issue(path('decimalScale'))}>
                    <input
                      className={`${small} w-20`}
                      aria-label={`Decimal scale for ${column.name}`}
                      inputMode="numeric"
                      placeholder="as stored"
                      value={d.decimalScale}
                      disabled={disabled}
                      aria-invalid={!!issue(path('decimalScale')) || undefined}
                      onChange={(e) => setColumn(column.name, { decimalScale: e.target.value })}
                    />
                  </Cell>
                  <Cell show={temporal.has(column.family)} error={issue(path('timestampPrecision'))}>
                    <select
                      className={`${small} w-32`}
                      aria-label={`Timestamp precision for ${column.name}`}
                      value={d.timestampPrecision}
                      disabled={disabled}
                      onChange={(e) => setColumn(column.name, { timestampPrecision: e.target.value as ColumnDraft['timestampPrecision'] })}
                    >
                      <option value="">as stored</option>
                      <option value="s">seconds</option>
                      <option value="ms">milliseconds</option>
                      <option value="us">microseconds</option>
                    </select>
                  </Cell>
                  {check('trim', 'Trim')}
                  {check('emptyAsNull', 'Empty as NULL')}
                  {check('caseInsensitive', 'Ignore case')}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="mt-3 text-xs text-slate-500">NULL always equals NULL. Columns you do not change follow the defaults of their type.</p>
      {canWrite ? (
        <div className="mt-3 flex items-center gap-3">
          <Button onClick={onSave} disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save settings'}
          </Button>
          {saved && (
            <span role="status" className="text-xs font-medium text-emerald-700">
              Saved; the next verification uses them.
            </span>
          )}
        </div>
      ) : (
        <p className="mt-3 text-xs text-slate-500">Read-only: admins and analysts change these settings.</p>
      )}
      <div className="mt-3">
        <SaveError error={save.error} columns={view.columns.map((c) => c.name)} />
      </div>
    </Card>
  );
}
