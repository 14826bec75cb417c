import type { FieldDifference } from '@/lib/schemas/consistency';

/** Values as JSON text, so '' vs NULL, padding and 1 vs "1" stay visible. */
export function Value({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="italic text-slate-400">NULL</span>;
  return <span className="whitespace-pre-wrap break-all">{JSON.stringify(value)}</span>;
}

/**
 * Field-by-field, source beside target, for the fields that differ after normalization: the
 * source (what should be) in green, the target (what is) in red. For a key an analyst
 * corrected, the source side is the correction, mapped.
 */
export function FieldDiffTable({ fields, corrected = false }: { fields: FieldDifference[]; corrected?: boolean }) {
  return (
    <table className="w-full text-xs" data-testid="field-diff">
      <thead>
        <tr className="text-left text-slate-500">
          <th className="w-1/5 py-1 pr-2 font-medium">Field</th>
          <th className="w-2/5 py-1 pr-2 font-medium">{corrected ? 'Correction (mapped)' : 'Source (mapped)'}</th>
          <th className="w-2/5 py-1 font-medium">Target</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f) => (
          <tr key={f.field} data-testid="diff-field" data-field={f.field} className="align-top">
            <td className="py-1 pr-2 font-mono font-medium text-slate-800">{f.field}</td>
            <td className="bg-emerald-50 px-1.5 py-1 font-mono text-emerald-900">
              <Value value={f.source} />
            </td>
            <td className="bg-red-50 px-1.5 py-1 font-mono text-red-900">
              <Value value={f.target} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Whole rows side by side, the differing fields highlighted. */
export function RowsSideBySide({ source, target, differing }: { source: Record<string, unknown> | null; target: Record<string, unknown> | null; differing: Set<string> }) {
  const names = [...new Set([...Object.keys(source ?? {}), ...Object.keys(target ?? {})])];
  return (
    <table className="mt-1 w-full text-xs">
      <tbody>
        {names.map((name) => (
          <tr key={name} className={`align-top ${differing.has(name) ? 'bg-amber-50' : ''}`}>
            <td className="py-0.5 pr-2 font-mono text-slate-600">{name}</td>
            <td className="py-0.5 pr-2 font-mono">{source ? <Value value={source[name]} /> : '—'}</td>
            <td className="py-0.5 font-mono">{target ? <Value value={target[name]} /> : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
