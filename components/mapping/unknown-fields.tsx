'use client';
import type { DraftField } from './mapping-draft';

/** Fields whose target column the table no longer has: shown apart so they can be removed. */
export function UnknownFields({ fields, readOnly, onRemove }: { fields: readonly DraftField[]; readOnly: boolean; onRemove: (target: string) => void }) {
  if (fields.length === 0) return null;
  return (
    <div className="mt-4 rounded-md border border-red-200 bg-red-50 p-3">
      <h4 className="text-xs font-semibold text-red-800">Mapped to columns the target table no longer has</h4>
      <ul className="mt-1 space-y-1">
        {fields.map((field) => (
          <li key={field.id} className="flex items-center gap-2 text-xs text-red-800">
            <span className="font-mono">{field.target}</span>
            <span className="text-red-600">← {field.sources.join(', ') || 'no source'}</span>
            {!readOnly && (
              <button type="button" onClick={() => onRemove(field.target)} className="ml-auto font-medium underline">
                Remove {field.target}
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
