import type { ReactNode } from 'react';
import type { MappingConsistencyView } from '@/lib/schemas/consistency';
import type { ColumnDraft } from './settings-draft';

const numeric = new Set(['integer', 'decimal', 'float']);
const temporal = new Set(['timestamp', 'timestamptz', 'time']);
const textual = new Set(['text', 'enum']);

const control = 'rounded-md border border-slate-300 px-1.5 py-1 text-xs aria-[invalid=true]:border-red-500 disabled:bg-slate-50';

/** A setting that does not apply to the column's type shows a dash instead of a control. */
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

type Column = MappingConsistencyView['columns'][number];

/** One target column's normalization; `issue(field)` is the server's message for it (no field: the column). */
export function NormalizationRow({
  column,
  draft: d,
  canWrite,
  issue,
  onChange,
}: {
  column: Column;
  draft: ColumnDraft;
  canWrite: boolean;
  issue: (field?: keyof ColumnDraft) => string | undefined;
  onChange: (change: Partial<ColumnDraft>) => void;
}) {
  const disabled = !canWrite || d.exclude;
  const number = (field: 'tolerance' | 'decimalScale', label: string, show: boolean, placeholder: string) => (
    <Cell show={show} error={issue(field)}>
      <input
        className={`${control} w-20`}
        aria-label={`${label} for ${column.name}`}
        inputMode={field === 'tolerance' ? 'decimal' : 'numeric'}
        placeholder={placeholder}
        value={d[field]}
        disabled={disabled}
        aria-invalid={!!issue(field) || undefined}
        onChange={(e) => onChange({ [field]: e.target.value })}
      />
    </Cell>
  );
  const check = (field: 'trim' | 'emptyAsNull' | 'caseInsensitive', label: string) => (
    <Cell show={textual.has(column.family)} error={issue(field)}>
      <input type="checkbox" aria-label={`${label} for ${column.name}`} checked={d[field]} disabled={disabled} onChange={(e) => onChange({ [field]: e.target.checked })} />
    </Cell>
  );

  return (
    <tr data-testid={`normalization-${column.name}`} className={d.exclude ? 'bg-slate-50 text-slate-400' : undefined}>
      <td className="px-2 py-1.5">
        <span className="font-mono text-xs font-medium">{column.name}</span> <span className="text-xs text-slate-500">{column.family}</span>
        {column.isKey && <span className="ml-1 text-xs font-medium text-indigo-700">key</span>}
        {issue() && (
          <span role="alert" className="block text-xs text-red-600">
            {issue()}
          </span>
        )}
      </td>
      <Cell show error={issue('exclude')}>
        <input
          type="checkbox"
          aria-label={`Exclude ${column.name}`}
          checked={d.exclude}
          disabled={!canWrite || column.isKey}
          title={column.isKey ? 'Key columns are how rows are paired; they are always compared' : undefined}
          onChange={(e) => onChange({ exclude: e.target.checked })}
        />
      </Cell>
      {number('tolerance', 'Tolerance', numeric.has(column.family), 'exact')}
      {number('decimalScale', 'Decimal scale', column.family === 'decimal' || column.family === 'float', 'as stored')}
      <Cell show={temporal.has(column.family)} error={issue('timestampPrecision')}>
        <select
          className={`${control} w-32`}
          aria-label={`Timestamp precision for ${column.name}`}
          value={d.timestampPrecision}
          disabled={disabled}
          onChange={(e) => onChange({ timestampPrecision: e.target.value as ColumnDraft['timestampPrecision'] })}
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
}
