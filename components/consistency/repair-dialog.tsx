'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ConsistencyReportView } from '@/lib/schemas/consistency';
import type { KnownFailure } from '@/lib/jobs/start-repair';
import { ApiError } from '@/hooks/api-client';
import { useStartRepair } from '@/hooks/use-consistency';
import { Button } from '@/components/ui/button';
import { ErrorNotice } from '@/components/ui/card';
import { Field, TextInput } from '@/components/ui/field';
import { formatCount } from '@/components/jobs/format';

/** What the repair route answers (the hook types only the job's id). */
interface StartedRepair {
  id: string;
  mappingVersion?: number;
  stillFailing?: KnownFailure[];
}

/** Rows that failed under this version before, by reason: the repair reports them instead of re-running them. */
function StillFailing({ reasons, version }: { reasons: KnownFailure[]; version: number }) {
  return (
    <div className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="repair-still-failing">
      <p>
        These rows failed for the same reasons under v{version} before. They are reported, not re-run, unless their source rows changed: fix the
        mapping, or correct them on the error rows.
      </p>
      <ul className="mt-1 list-disc pl-5">
        {reasons.map((r) => (
          <li key={`${r.stage}/${r.field}/${r.code}`}>
            {formatCount(r.rows)} rows still fail: <span className="font-mono">{r.reason}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Re-syncs the different and missing rows of a report through the current mapping, then
 * verifies again. Deleting extra rows is opt-in and needs the target table's name typed.
 * Rows known to fail again are listed once the repair has started, before going to its page.
 */
export function RepairDialog({ report, targetTable, onClose }: { report: ConsistencyReportView; targetTable: string; onClose: () => void }) {
  const router = useRouter();
  const repair = useStartRepair(report.id);
  const [deleteExtra, setDeleteExtra] = useState(false);
  const [confirm, setConfirm] = useState('');
  const [started, setStarted] = useState<StartedRepair | null>(null);
  const resync = report.different + report.missing;

  const start = () =>
    repair.mutate(
      { deleteExtra, confirmDeleteExtra: deleteExtra ? confirm : undefined },
      {
        onSuccess: (job: StartedRepair) => {
          if (job.stillFailing?.length) setStarted(job);
          else router.push(`/jobs/${job.id}`);
        },
      },
    );
  const confirmError = repair.error instanceof ApiError ? repair.error.issueFor('confirmDeleteExtra') : undefined;

  return (
    <div className="fixed inset-0 z-20 flex items-center justify-center bg-slate-900/30 p-4" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="repair-title"
        className="w-full max-w-lg space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-lg"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <h2 id="repair-title" className="text-base font-semibold text-slate-900">
          Repair the target
        </h2>
        {started ? (
          <>
            <p className="text-sm text-slate-700" role="status">
              The repair has started.
            </p>
            <StillFailing reasons={started.stillFailing ?? []} version={started.mappingVersion ?? report.mappingVersion} />
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={onClose}>
                Close
              </Button>
              <Button onClick={() => router.push(`/jobs/${started.id}`)}>Open the repair job</Button>
            </div>
          </>
        ) : (
          <>
            <p className="text-sm text-slate-700" data-testid="repair-summary">
              {resync === 0 && report.extra > 0 ? (
                <>Nothing differs or is missing; only extra rows can be repaired.</>
              ) : (
                <>
                  Re-sync <strong>{formatCount(report.different)}</strong> different and <strong>{formatCount(report.missing)}</strong> missing rows through the
                  mapping&apos;s current version, then verify again.
                </>
              )}
            </p>
            {report.extra > 0 && (
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={deleteExtra} onChange={(e) => setDeleteExtra(e.target.checked)} />
                Also delete {formatCount(report.extra)} extra rows from <span className="font-mono">{targetTable}</span>
              </label>
            )}
            {deleteExtra && (
              <Field label="Type the target table name to confirm" error={confirmError}>
                <TextInput value={confirm} onChange={(e) => setConfirm(e.target.value)} placeholder={targetTable} />
              </Field>
            )}
            <ErrorNotice error={confirmError ? null : repair.error} />
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={onClose}>
                Close
              </Button>
              <Button
                variant={deleteExtra ? 'danger' : 'primary'}
                disabled={repair.isPending || (resync === 0 && !deleteExtra) || (deleteExtra && confirm !== targetTable)}
                onClick={start}
              >
                {repair.isPending ? 'Starting…' : deleteExtra ? `Repair and delete ${formatCount(report.extra)} rows` : `Re-sync ${formatCount(resync)} rows`}
              </Button>
            </div>
          </>
        )}
      </div>
    </div>
  );
}
