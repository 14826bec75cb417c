'use client';
import { useState } from 'react';
import { useMappings } from '@/hooks/use-mappings';
import { ApiError } from '@/hooks/api-client';
import type { SavePlanRequest } from '@/lib/schemas/plan';
import { Button } from '@/components/ui/button';
import { ErrorNotice } from '@/components/ui/card';
import { Field, TextInput } from '@/components/ui/field';

/** The issue the server named for the picked mappings (the list, or one of them). */
function mappingsIssue(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.issues.find((i) => i.path === 'body.mappingIds' || i.path.startsWith('body.mappingIds.'))?.message;
}

/**
 * A plan's name and mappings. Their order is not chosen here: it follows from the
 * references and foreign keys, and the plan page draws it.
 */
export function PlanForm({
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  initial?: SavePlanRequest;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (request: SavePlanRequest) => void;
  onCancel?: () => void;
}) {
  const mappings = useMappings();
  const [name, setName] = useState(initial?.name ?? '');
  const [picked, setPicked] = useState<string[]>(initial?.mappingIds ?? []);
  const toggle = (id: string, on: boolean) => setPicked((ids) => (on ? [...ids, id] : ids.filter((x) => x !== id)));
  const nameIssue = error instanceof ApiError ? error.issueFor('name') : undefined;
  const pickedIssue = mappingsIssue(error);
  const fieldIssues = nameIssue !== undefined || pickedIssue !== undefined;
  return (
    <form
      data-testid="plan-form"
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit({ name, mappingIds: picked });
      }}
    >
      <Field label="Name" error={nameIssue}>
        <TextInput value={name} onChange={(e) => setName(e.target.value)} invalid={nameIssue !== undefined} maxLength={200} />
      </Field>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Mappings</legend>
        <p className="text-xs text-slate-500">The plan runs them parents first: the order comes from their reference fields and foreign keys.</p>
        <ErrorNotice error={mappings.error} />
        <ul className="mt-2 max-h-80 space-y-1 overflow-y-auto rounded-md border border-slate-200 p-2">
          {mappings.isLoading && <li className="text-sm text-slate-500">Loading…</li>}
          {mappings.data?.length === 0 && <li className="text-sm text-slate-500">No mappings yet.</li>}
          {mappings.data?.map((m) => (
            <li key={m.id}>
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={picked.includes(m.id)} onChange={(e) => toggle(m.id, e.target.checked)} aria-label={m.name} />
                <span className="font-medium text-slate-800">{m.name}</span>
                <span className="text-xs text-slate-500">
                  {m.sourceTable} → {m.targetTable}
                </span>
              </label>
            </li>
          ))}
        </ul>
        {pickedIssue && (
          <p role="alert" className="mt-1 text-xs text-red-600">
            Mappings: {pickedIssue}
          </p>
        )}
      </fieldset>
      {!fieldIssues && <ErrorNotice error={error} />}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </Button>
        {onCancel && (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
