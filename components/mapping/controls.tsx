import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';
import type { TypeFamily } from '@/lib/connectors/connector';
import type { DraftScalar, ScalarKind } from './mapping-draft';

/** Compact controls for the dense mapping editor (the form controls in components/ui are roomier). */
const control =
  'rounded border border-slate-300 bg-white px-2 py-1 text-xs text-slate-900 shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 disabled:cursor-not-allowed disabled:bg-slate-50 disabled:text-slate-500 aria-[invalid=true]:border-red-500 aria-[invalid=true]:bg-red-50';

export function MiniInput({ invalid, className = '', ...props }: InputHTMLAttributes<HTMLInputElement> & { invalid?: boolean }) {
  return <input {...props} aria-invalid={invalid || undefined} className={`${control} ${className}`} />;
}

export function MiniSelect({ invalid, className = '', ...props }: SelectHTMLAttributes<HTMLSelectElement> & { invalid?: boolean }) {
  return <select {...props} aria-invalid={invalid || undefined} className={`${control} pr-6 ${className}`} />;
}

/** A visible label wrapping its control, so the control's accessible name is exactly `label`. */
export function Labeled({ label, children, className = '' }: { label: string; children: ReactNode; className?: string }) {
  return (
    <label className={`flex flex-col gap-0.5 text-[11px] font-medium text-slate-500 ${className}`}>
      {label}
      {children}
    </label>
  );
}

export function IconButton({ label, children, onClick, disabled, tone = 'default' }: { label: string; children: ReactNode; onClick: () => void; disabled?: boolean; tone?: 'default' | 'danger' }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={onClick}
      disabled={disabled}
      className={`inline-flex h-6 min-w-6 items-center justify-center rounded px-1 text-xs leading-none disabled:cursor-not-allowed disabled:opacity-30 ${
        tone === 'danger' ? 'text-slate-400 hover:bg-red-50 hover:text-red-700' : 'text-slate-500 hover:bg-slate-100 hover:text-slate-800'
      }`}
    >
      {children}
    </button>
  );
}

const kindLabels: Record<ScalarKind, string> = { auto: 'auto', text: 'text', number: 'number', boolean: 'true/false', null: 'null' };

function autoMeaning(family: TypeFamily | undefined): string {
  if (family === 'integer' || family === 'float') return 'number';
  if (family === 'boolean') return 'true/false';
  return 'text';
}

/**
 * A literal value for the spec: what is typed plus how to read it. "auto" follows the
 * target column (numbers for numeric columns, true/false for booleans, else text).
 */
export function ScalarInput({
  label,
  kindLabel,
  value,
  onChange,
  family,
  disabled,
  invalid,
  placeholder,
  list,
  className = 'w-32',
}: {
  label: string;
  kindLabel: string;
  value: DraftScalar;
  onChange: (value: DraftScalar) => void;
  family: TypeFamily | undefined;
  disabled?: boolean;
  invalid?: boolean;
  placeholder?: string;
  list?: string;
  className?: string;
}) {
  return (
    <span className="flex items-end gap-1">
      <Labeled label={label}>
        <MiniInput
          value={value.kind === 'null' ? '' : value.text}
          placeholder={value.kind === 'null' ? 'null' : placeholder}
          onChange={(event) => onChange({ ...value, text: event.target.value })}
          disabled={disabled || value.kind === 'null'}
          invalid={invalid}
          list={list}
          className={className}
        />
      </Labeled>
      <Labeled label={kindLabel}>
        <MiniSelect
          value={value.kind}
          onChange={(event) => onChange({ ...value, kind: event.target.value as ScalarKind })}
          disabled={disabled}
          title={value.kind === 'auto' ? `auto: read as ${autoMeaning(family)} for this column` : undefined}
        >
          {(Object.keys(kindLabels) as ScalarKind[]).map((kind) => (
            <option key={kind} value={kind}>
              {kind === 'auto' ? `auto (${autoMeaning(family)})` : kindLabels[kind]}
            </option>
          ))}
        </MiniSelect>
      </Labeled>
    </span>
  );
}

export function SeverityDot({ severity }: { severity: 'error' | 'warning' }) {
  return <span aria-hidden className={`inline-block h-2 w-2 shrink-0 rounded-full ${severity === 'error' ? 'bg-red-500' : 'bg-amber-400'}`} />;
}
