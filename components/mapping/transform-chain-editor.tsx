'use client';
import type { ColumnInfo } from '@/lib/connectors/connector';
import { transformOps, type FailurePolicy, type TransformOp } from '@/lib/schemas/mapping-spec';
import { IconButton, MiniSelect } from './controls';
import { moveItem } from './edit-draft';
import { canFail, type DraftField, type DraftTransform } from './mapping-draft';
import { describeTransformParam, transformIssues, type EditorIssue } from './mapping-issues';
import { transformDescriptions, transformLabels } from './operation-labels';
import { TransformParams } from './transform-params';

/** Groups for the add menu, in the order analysts usually reach for them. */
const opGroups: { label: string; ops: TransformOp[] }[] = [
  { label: 'Clean up text', ops: ['trim', 'collapse_whitespace', 'lower', 'upper', 'null_if_empty'] },
  { label: 'Convert', ops: ['cast', 'parse_date', 'phone_e164', 'email'] },
  { label: 'Combine and extract', ops: ['concat', 'split', 'regex_replace'] },
  { label: 'Values', ops: ['value_map', 'default', 'constant'] },
];
// Every op is offered exactly once; a new op in the spec shows up under "Other".
const groupedOps = new Set(opGroups.flatMap((group) => group.ops));
const otherOps = transformOps.filter((op) => !groupedOps.has(op));

export function AddTransformSelect({ target, onAdd, disabled }: { target: string; onAdd: (op: TransformOp) => void; disabled?: boolean }) {
  return (
    <MiniSelect
      aria-label={`Add transform to ${target}`}
      value=""
      disabled={disabled}
      onChange={(event) => {
        const op = event.target.value as TransformOp;
        if (op) onAdd(op);
      }}
      className="w-40 text-slate-600"
    >
      <option value="">+ Add transform…</option>
      {opGroups.map((group) => (
        <optgroup key={group.label} label={group.label}>
          {group.ops.map((op) => (
            <option key={op} value={op} title={transformDescriptions[op]}>
              {transformLabels[op]}
            </option>
          ))}
        </optgroup>
      ))}
      {otherOps.length > 0 && (
        <optgroup label="Other">
          {otherOps.map((op) => (
            <option key={op} value={op}>
              {transformLabels[op] ?? op}
            </option>
          ))}
        </optgroup>
      )}
    </MiniSelect>
  );
}

const failureLabels: Record<FailurePolicy, string> = {
  reject: 'reject the row',
  null: 'set null',
  keep: 'keep the original',
};

/** The ordered chain of one target field: each step with its parameters, move and remove. */
export function TransformChainEditor({
  field,
  fieldIndex,
  target,
  sourceColumns,
  issues,
  readOnly,
  onChange,
}: {
  field: DraftField;
  fieldIndex: number;
  target: ColumnInfo | undefined;
  /** The source table's columns, for parameters that name one (phone's country column). */
  sourceColumns: readonly ColumnInfo[];
  issues: readonly EditorIssue[];
  readOnly: boolean;
  onChange: (transforms: DraftTransform[]) => void;
}) {
  if (field.transforms.length === 0) return null;
  const count = field.transforms.length;
  return (
    <ol aria-label={`Transforms of ${field.target}`} className="mt-2 space-y-1.5 border-l-2 border-indigo-100 pl-3">
      {field.transforms.map((transform, index) => {
        const own = transformIssues(issues, fieldIndex, index);
        const prefix = `fields.${fieldIndex}.transforms.${index}.`;
        const invalidParams = new Set(own.filter((i) => i.severity === 'error' && i.path.startsWith(prefix)).map((i) => i.path.slice(prefix.length)));
        const invalid = (param: string) => invalidParams.has(param) || [...invalidParams].some((p) => p.startsWith(`${param}.`));
        const n = index + 1;
        const hasParams = !['trim', 'lower', 'upper', 'collapse_whitespace', 'null_if_empty', 'email'].includes(transform.op);
        return (
          <li
            key={transform.id}
            aria-label={`${field.target} transform ${n}: ${transform.op}`}
            data-testid="transform-item"
            data-op={transform.op}
            className={`rounded-md border bg-white px-2.5 py-1.5 ${own.some((i) => i.severity === 'error') ? 'border-red-200' : 'border-slate-200'}`}
          >
            <div className="flex items-center gap-2">
              <span className="flex h-4 w-4 shrink-0 items-center justify-center rounded-full bg-indigo-50 text-[10px] font-semibold text-indigo-700">{n}</span>
              <span className="shrink-0 whitespace-nowrap text-xs font-semibold text-slate-800" title={transformDescriptions[transform.op]}>
                {transformLabels[transform.op]}
              </span>
              <span className="shrink-0 font-mono text-[10px] text-slate-400">{transform.op}</span>
              {!hasParams && <span className="min-w-0 truncate text-[11px] text-slate-500">{transformDescriptions[transform.op]}</span>}
              {canFail(transform.op) && (
                <label className="ml-auto flex shrink-0 items-center gap-1 text-[11px] text-slate-500" title="What happens to a value this transform cannot convert">
                  on failure
                  <MiniSelect
                    aria-label={`${field.target} transform ${n}: on failure`}
                    data-testid="on-failure"
                    value={transform.onFailure ?? 'reject'}
                    disabled={readOnly}
                    onChange={(event) => {
                      const policy = event.target.value as FailurePolicy;
                      onChange(field.transforms.map((t) => (t.id === transform.id ? { ...t, onFailure: policy } : t)));
                    }}
                    className={transform.onFailure && transform.onFailure !== 'reject' ? 'border-amber-300 text-amber-800' : ''}
                  >
                    {(Object.keys(failureLabels) as FailurePolicy[]).map((policy) => (
                      <option key={policy} value={policy}>
                        {failureLabels[policy]}
                      </option>
                    ))}
                  </MiniSelect>
                </label>
              )}
              {!readOnly && (
                <span className={`${canFail(transform.op) ? '' : 'ml-auto '}flex shrink-0 items-center`}>
                  <IconButton label={`Move ${field.target} transform ${n} up`} onClick={() => onChange(moveItem(field.transforms, index, index - 1))} disabled={index === 0}>
                    ↑
                  </IconButton>
                  <IconButton label={`Move ${field.target} transform ${n} down`} onClick={() => onChange(moveItem(field.transforms, index, index + 1))} disabled={index === count - 1}>
                    ↓
                  </IconButton>
                  <IconButton label={`Remove ${field.target} transform ${n}`} tone="danger" onClick={() => onChange(field.transforms.filter((t) => t.id !== transform.id))}>
                    ×
                  </IconButton>
                </span>
              )}
            </div>
            {hasParams && (
              <div className="mt-1.5">
                <TransformParams
                  transform={transform}
                  onChange={(next) => onChange(field.transforms.map((t) => (t.id === transform.id ? next : t)))}
                  field={field}
                  target={target}
                  sourceColumns={sourceColumns}
                  readOnly={readOnly}
                  invalid={invalid}
                  idPrefix={`t-${transform.id}`}
                />
              </div>
            )}
            {own.length > 0 && (
              <ul className="mt-1 space-y-0.5">
                {own.map((issue, i) => (
                  <li key={i} className={`text-[11px] ${issue.severity === 'error' ? 'text-red-700' : 'text-amber-700'}`}>
                    {describeTransformParam(issue.path.split('.').slice(4)) || 'Transform'}: {issue.message}
                  </li>
                ))}
              </ul>
            )}
          </li>
        );
      })}
    </ol>
  );
}
