'use client';
import type { ReactNode } from 'react';
import { CSV_COLUMN_TYPES, type CsvColumn, type CsvShapeReport } from '@/lib/connectors/csv/csv-shape';
import type { CsvColumnOverride } from '@/lib/schemas/file-source';
import { Select, TextInput } from '@/components/ui/field';
import { ChoiceNote } from './shape-choices';

const FORMAT_HINTS: Partial<Record<CsvColumn['type'], string>> = {
  date: 'e.g. DD/MM/YYYY',
  datetime: 'e.g. YYYY-MM-DD HH:mm:ss',
};

/** The column as it will be read: what the analyst typed wins over the last report (which may lag behind). */
export function columnAsEdited(column: CsvColumn, override: CsvColumnOverride | null | undefined): CsvColumn {
  if (!override) return column;
  const typeChanged = override.type !== undefined && override.type !== column.type;
  const format = override.format ?? (typeChanged ? undefined : column.format);
  const { format: _dropped, ...rest } = column;
  return { ...rest, ...Object.fromEntries(Object.entries(override).filter(([, v]) => v !== undefined)), ...(format === undefined || format === '' ? {} : { format }) };
}

export function ShapeColumns({
  report,
  overrides,
  onChange,
  issue,
  disabled,
}: {
  report: CsvShapeReport;
  overrides: (CsvColumnOverride | null)[];
  onChange: (index: number, change: CsvColumnOverride) => void;
  issue: (field: string) => string | undefined;
  disabled: boolean;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead>
          <tr>
            {['#', 'Name', 'Type', 'Format', 'Empty allowed', 'Sample values', 'Detection'].map((h) => (
              <th key={h} className="px-2 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {report.columns.map((detected, i) => {
            const column = columnAsEdited(detected, overrides[i]);
            const n = i + 1;
            const nameIssue = issue(`columns.${i}.name`);
            const typeIssue = issue(`columns.${i}.type`);
            const formatIssue = issue(`columns.${i}.format`);
            const nullableIssue = issue(`columns.${i}.nullable`);
            const rowIssue = issue(`columns.${i}`);
            const needsFormat = column.type === 'date' || column.type === 'datetime' || column.type === 'decimal';
            return (
              <tr key={i} className="align-top" data-testid="shape-column">
                <td className="px-2 py-2 tabular-nums text-slate-500">{n}</td>
                <td className="min-w-40 px-2 py-1">
                  <TextInput aria-label={`Column ${n} name`} value={column.name} disabled={disabled} invalid={!!nameIssue} onChange={(e) => onChange(i, { name: e.target.value })} />
                  {nameIssue && <FieldError>Name {nameIssue}</FieldError>}
                </td>
                <td className="min-w-32 px-2 py-1">
                  <Select
                    aria-label={`Column ${n} type`}
                    value={column.type}
                    disabled={disabled}
                    invalid={!!typeIssue}
                    onChange={(e) => onChange(i, { type: e.target.value as CsvColumn['type'], format: undefined })}
                  >
                    {CSV_COLUMN_TYPES.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </Select>
                  {typeIssue && <FieldError>Type {typeIssue}</FieldError>}
                </td>
                <td className="min-w-36 px-2 py-1">
                  {column.type === 'decimal' ? (
                    <Select aria-label={`Column ${n} format`} value={column.format ?? '.'} disabled={disabled} invalid={!!formatIssue} onChange={(e) => onChange(i, { format: e.target.value })}>
                      <option value=".">decimal point ( 1.5 )</option>
                      <option value=",">decimal comma ( 1,5 )</option>
                    </Select>
                  ) : needsFormat ? (
                    <TextInput
                      aria-label={`Column ${n} format`}
                      value={column.format ?? ''}
                      placeholder={FORMAT_HINTS[column.type]}
                      disabled={disabled}
                      invalid={!!formatIssue}
                      onChange={(e) => onChange(i, { format: e.target.value })}
                    />
                  ) : (
                    <span className="text-xs text-slate-400">–</span>
                  )}
                  {formatIssue && <FieldError>Format {formatIssue}</FieldError>}
                </td>
                <td className="px-2 py-2">
                  <input
                    type="checkbox"
                    aria-label={`Column ${n} may be empty`}
                    checked={column.nullable}
                    disabled={disabled}
                    onChange={(e) => onChange(i, { nullable: e.target.checked })}
                    className="h-4 w-4 rounded border-slate-300 text-indigo-600"
                  />
                  {nullableIssue && <FieldError>{nullableIssue}</FieldError>}
                </td>
                <td className="max-w-64 px-2 py-2 text-xs text-slate-600">
                  {detected.sampleValues.length === 0 ? <span className="text-slate-400">all empty</span> : detected.sampleValues.map((v, j) => (
                    <span key={j} className="mr-1 inline-block max-w-full truncate rounded bg-slate-100 px-1 font-mono">
                      {v}
                    </span>
                  ))}
                </td>
                <td className="max-w-72 px-2 py-1">
                  <ChoiceNote choice={report.choices.columns[i]} />
                  {rowIssue && <FieldError>{rowIssue}</FieldError>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function FieldError({ children }: { children: ReactNode }) {
  return (
    <span role="alert" className="mt-1 block text-xs text-red-600">
      {children}
    </span>
  );
}
