'use client';
import type { ColumnInfo, TableDetail } from '@/lib/connectors/connector';
import type { TransformOp } from '@/lib/schemas/mapping-spec';
import type { DraftField } from './mapping-draft';
import { transformLabels } from './operation-labels';
import { suggestTransforms } from './suggest-transforms';

/** Suggested transforms for a linked field, each added with one click. */
export function TransformHints({
  field,
  column,
  sourceTable,
  onAdd,
}: {
  field: DraftField;
  column: ColumnInfo;
  sourceTable: TableDetail;
  onAdd: (op: TransformOp) => void;
}) {
  const hints = suggestTransforms(field, column, sourceTable);
  if (hints.length === 0) return null;
  return (
    <p className="mt-1.5 flex flex-wrap items-center gap-1.5 text-[11px] text-slate-500" data-testid="transform-hint">
      <span>Suggested:</span>
      {hints.map((hint) => (
        <button
          key={hint.op}
          type="button"
          onClick={() => onAdd(hint.op)}
          title={hint.reason}
          aria-label={`Add suggested ${hint.op} to ${column.name}`}
          className="rounded-full border border-indigo-200 bg-indigo-50 px-2 py-0.5 font-medium text-indigo-700 hover:bg-indigo-100"
        >
          + {transformLabels[hint.op]}
        </button>
      ))}
      <span className="truncate">({hints.map((h) => h.reason).join('; ')})</span>
    </p>
  );
}
