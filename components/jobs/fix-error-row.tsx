'use client';
import { useState } from 'react';
import { useFixAndReplay, useSaveErrorRowCorrection, type ErrorRowView } from '@/hooks/use-jobs';
import { Button } from '@/components/ui/button';

const asText = (value: unknown) => (value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/**
 * Corrects a failed row's source values and, for an admin, replays it through the latest
 * mapping version. A corrected row that lands is kept as its key's correction: verification
 * compares the target with it, and repairs and later runs write it instead of the source's
 * row. An analyst saves corrections only: replaying writes to the target, an admin's call.
 */
export function FixErrorRow({ jobId, row, canReplay, onClose }: { jobId: string; row: ErrorRowView; canReplay: boolean; onClose: () => void }) {
  const [draft, setDraft] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(row.sourceRow).map(([k, v]) => [k, asText(v)])));
  const replay = useFixAndReplay(jobId);
  const save = useSaveErrorRowCorrection(jobId);
  const changed = Object.fromEntries(
    Object.entries(draft)
      .filter(([column, value]) => value !== asText(row.sourceRow[column]))
      .map(([column, value]) => [column, value === '' && row.sourceRow[column] === null ? null : value]),
  );
  const result = replay.data;
  // Corrected now or before: what landed is kept as the key's correction.
  const corrected = replay.variables ? Object.keys(replay.variables.values).length > 0 || row.editedAt !== null : false;
  return (
    <div data-testid="fix-error-row" className="space-y-2 rounded-md border border-indigo-200 bg-indigo-50/40 p-3">
      <div className="grid grid-cols-2 gap-2 md:grid-cols-3">
        {Object.keys(draft).map((column) => (
          <label key={column} className="text-xs">
            <span className="font-mono text-slate-600">{column}</span>
            <input
              aria-label={`Value of ${column}`}
              value={draft[column]}
              onChange={(e) => setDraft((d) => ({ ...d, [column]: e.target.value }))}
              className="mt-0.5 block w-full rounded border border-slate-300 px-2 py-1 font-mono text-xs"
            />
          </label>
        ))}
      </div>
      <div className="flex items-center gap-2">
        {canReplay ? (
          <Button onClick={() => replay.mutate({ errorId: row.id, values: changed })} disabled={replay.isPending}>
            {replay.isPending ? 'Replaying…' : Object.keys(changed).length ? 'Save and replay' : 'Replay'}
          </Button>
        ) : (
          <Button onClick={() => save.mutate({ errorId: row.id, values: changed })} disabled={save.isPending || Object.keys(changed).length === 0}>
            {save.isPending ? 'Saving…' : 'Save correction'}
          </Button>
        )}
        <Button variant="ghost" onClick={onClose}>
          Close
        </Button>
        {!canReplay && (
          <span data-testid="correction-saved" className="text-xs text-slate-600">
            {save.isSuccess ? 'Saved. ' : ''}An admin replays corrected rows: a replay writes to the target.
          </span>
        )}
        {(replay.error ?? save.error) && <span role="alert" className="text-xs text-red-700">{(replay.error ?? save.error)?.message}</span>}
        {result && (
          <span data-testid="replay-result" className={`text-xs ${result.landed ? 'text-emerald-700' : 'text-red-700'}`}>
            {result.landed
              ? corrected
                ? 'Landed in the target. Kept as the correction for this key: verification, repairs and later runs use these values.'
                : 'Landed in the target.'
              : `Still fails (${result.stage}, ${result.field ?? '—'}: ${result.code}): ${result.message}`}
          </span>
        )}
      </div>
    </div>
  );
}
