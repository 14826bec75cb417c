'use client';
import { useState } from 'react';
import type { MappingConsistencyView } from '@/lib/schemas/consistency';
import { ApiError } from '@/hooks/api-client';
import { useSaveVerifySettings } from '@/hooks/use-consistency';
import { useCan } from '@/components/layout/actor-context';
import { Button } from '@/components/ui/button';
import { Card, ErrorNotice } from '@/components/ui/card';
import { Field, TextInput } from '@/components/ui/field';
import { NormalizationRow } from './normalization-row';
import { settingsDraft, settingsRequest, type ColumnDraft, type SettingsDraft } from './settings-draft';

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
            {view.columns.map((column) =>
              draft.columns[column.name] ? (
                <NormalizationRow
                  key={column.name}
                  column={column}
                  draft={draft.columns[column.name]}
                  canWrite={canWrite}
                  issue={(field) => issue(field ? `columns.${column.name}.${field}` : `columns.${column.name}`)}
                  onChange={(change) => setColumn(column.name, change)}
                />
              ) : null,
            )}
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
