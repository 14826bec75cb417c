'use client';
import { useMappings } from '@/hooks/use-mappings';
import type { FieldReference } from '@/lib/schemas/mapping-spec';

/**
 * A field's reference (FieldMapping.reference): which mapping's records its source columns
 * point to, and how the parent's new id is found — the id map Ferry records as the parent
 * is written (generated ids included), or a column of the parent's target table that keeps
 * the legacy id. Off: the field is a plain value again.
 */
export function ReferenceEditor({
  target,
  reference,
  readOnly,
  onChange,
}: {
  target: string;
  reference: FieldReference;
  readOnly: boolean;
  onChange: (reference: FieldReference | null) => void;
}) {
  const mappings = useMappings();
  const options = mappings.data ?? [];
  const known = options.some((m) => m.id === reference.mapping);
  return (
    <div className="mt-1.5 rounded border border-indigo-200 bg-indigo-50/60 px-2 py-1.5 text-xs text-slate-700" data-testid={`reference-${target}`}>
      <div className="flex flex-wrap items-center gap-1.5">
        <span className="font-medium text-indigo-800">Reference:</span>
        <span>the new id of the record these source columns point to in</span>
        <select
          aria-label={`Parent mapping of ${target}`}
          value={reference.mapping}
          disabled={readOnly}
          onChange={(event) => onChange({ ...reference, mapping: event.target.value })}
          className="rounded border border-slate-300 bg-white px-1 py-0.5"
        >
          {!known && <option value={reference.mapping}>{mappings.isLoading ? 'loading…' : 'a mapping that no longer exists'}</option>}
          {options.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} ({m.sourceTable} → {m.targetTable})
            </option>
          ))}
        </select>
        <span>through</span>
        <select
          aria-label={`How ${target} finds the parent`}
          value={reference.by}
          disabled={readOnly}
          onChange={(event) =>
            onChange(event.target.value === 'id_map' ? { by: 'id_map', mapping: reference.mapping } : { by: 'target_column', mapping: reference.mapping, column: 'legacy_id' })
          }
          className="rounded border border-slate-300 bg-white px-1 py-0.5"
        >
          <option value="id_map">Ferry’s id map</option>
          <option value="target_column">a legacy-id column of the parent’s table</option>
        </select>
        {reference.by === 'target_column' && (
          <input
            aria-label={`Legacy-id column for ${target}`}
            value={reference.column}
            disabled={readOnly}
            onChange={(event) => onChange({ ...reference, column: event.target.value })}
            className="w-28 rounded border border-slate-300 bg-white px-1 py-0.5 font-mono"
          />
        )}
        {!readOnly && (
          <button type="button" onClick={() => onChange(null)} className="ml-auto rounded px-1.5 py-0.5 text-indigo-700 hover:bg-indigo-100">
            Plain value
          </button>
        )}
      </div>
      <p className="mt-0.5 text-[11px] text-slate-500">
        A row whose parent was not migrated becomes an error row (“parent … not migrated”); run the parent first, or both in a plan.
      </p>
    </div>
  );
}

/** Turns a mapped field into a reference to the first mapping offered (the analyst then picks the right one). */
export function MakeReferenceButton({ target, onChange }: { target: string; onChange: (reference: FieldReference) => void }) {
  const mappings = useMappings();
  const first = mappings.data?.[0];
  if (!first) return null;
  return (
    <button
      type="button"
      onClick={() => onChange({ by: 'id_map', mapping: first.id })}
      aria-label={`Make ${target} a reference`}
      title="The value is the new id of the record these source columns point to in another mapping"
      className="shrink-0 rounded px-1.5 py-1 text-[11px] font-medium text-indigo-700 hover:bg-indigo-50"
    >
      reference
    </button>
  );
}
