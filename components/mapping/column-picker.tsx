'use client';
import type { ChangeEvent } from 'react';
import type { ColumnInfo } from '@/lib/connectors/connector';
import { MiniSelect } from './controls';

/**
 * A select of one table's columns, shared by the field rows and the key panel. '' means
 * "no column" and is offered when `emptyLabel` is given. With `missingLabel`, a value the
 * table does not have gets its own option, so a stale name stays visible instead of the
 * select silently showing another column.
 */
export function ColumnPicker({
  columns,
  value,
  onChange,
  label,
  exclude = [],
  showType = false,
  emptyLabel,
  missingLabel,
  disabled,
  invalid,
  bare = false,
  className,
}: {
  columns: readonly ColumnInfo[];
  value: string;
  onChange: (column: string) => void;
  /** Accessible name, when no visible label wraps the picker. */
  label?: string;
  /** Columns not offered, e.g. those already chosen. */
  exclude?: readonly string[];
  /** Shows each column's data type after its name. */
  showType?: boolean;
  emptyLabel?: string;
  missingLabel?: (column: string) => string;
  disabled?: boolean;
  invalid?: boolean;
  /** A plain borderless select, for use inside a box that draws its own border. */
  bare?: boolean;
  className?: string;
}) {
  const offeredAsEmpty = emptyLabel !== undefined && value === '';
  const missing = missingLabel !== undefined && !offeredAsEmpty && !columns.some((column) => column.name === value);
  const options = (
    <>
      {emptyLabel !== undefined && <option value="">{emptyLabel}</option>}
      {missing && <option value={value}>{missingLabel(value)}</option>}
      {columns
        .filter((column) => !exclude.includes(column.name))
        .map((column) => (
          <option key={column.name} value={column.name}>
            {showType ? `${column.name} · ${column.dataType}` : column.name}
          </option>
        ))}
    </>
  );
  const change = (event: ChangeEvent<HTMLSelectElement>) => onChange(event.target.value);
  if (bare) {
    return (
      <select aria-label={label} value={value} onChange={change} disabled={disabled} className={className}>
        {options}
      </select>
    );
  }
  return (
    <MiniSelect aria-label={label} value={value} onChange={change} disabled={disabled} invalid={invalid} className={className}>
      {options}
    </MiniSelect>
  );
}
