'use client';
import Link from 'next/link';
import type { ErrorRowView } from '@/hooks/use-jobs';
import { useReplayWaitingChildren } from '@/hooks/use-plans';
import type { ErrorRowPlanLinks } from '@/lib/plans/error-row-plan-links';

/** The errors API adds plan links to each row (app/api/jobs/[id]/errors). */
type LinkedRow = ErrorRowView & Partial<ErrorRowPlanLinks>;

/**
 * A plan's links on an error row: an orphan names the parent row it waits for (a link to
 * that row on its job's page); a parent row says how many rows wait for it and, once it has
 * landed, offers admins to replay them in one go.
 */
export function ErrorRowPlanLinksNote({ jobId, row, canReplay }: { jobId: string; row: ErrorRowView; canReplay: boolean }) {
  const linked = row as LinkedRow;
  const replay = useReplayWaitingChildren(jobId);
  const parent = linked.parent ?? null;
  const waiting = linked.waitingChildren ?? 0;
  if (!parent && waiting === 0 && !replay.data) return null;
  return (
    <span className="mt-1 block text-xs">
      {parent && (
        <span data-testid="error-row-parent" className="block text-slate-600">
          waits for{' '}
          <Link href={`/jobs/${parent.jobId}?errorKey=${encodeURIComponent(parent.sourceKey.map(String).join(', '))}`} className="text-indigo-700 hover:underline">
            error row #{parent.id} of {parent.mappingName}
          </Link>
        </span>
      )}
      {waiting > 0 && (
        <span data-testid="error-row-waiting" data-count={waiting} className="block text-slate-600">
          {waiting} row(s) of dependent mappings wait for this row
          {row.resolvedAt && canReplay && (
            <button
              type="button"
              className="ml-2 font-medium text-indigo-700 hover:underline disabled:text-slate-400"
              disabled={replay.isPending}
              onClick={() => replay.mutate(row.id)}
            >
              Replay {waiting} waiting row{waiting === 1 ? '' : 's'}
            </button>
          )}
        </span>
      )}
      {replay.data && (
        <span data-testid="error-row-waiting-replayed" className="block text-emerald-700">
          Replaying:{' '}
          {replay.data.replays.map((r, i) => (
            <Link key={r.replayJobId} href={`/jobs/${r.replayJobId}`} className="text-indigo-700 hover:underline">
              {i > 0 ? ', ' : ''}
              {r.rows} row(s), job {r.replayJobId.slice(0, 8)}
            </Link>
          ))}
        </span>
      )}
      {replay.error instanceof Error && <span role="alert" className="block text-red-700">{replay.error.message}</span>}
    </span>
  );
}
