'use client';
import Link from 'next/link';
import type { PlanStepView } from '@/lib/plans/plan-view';
import { formatCount } from '@/components/jobs/format';

export interface StepBoxMember {
  mappingId: string;
  name: string;
  sourceTable: string | null;
  targetTable: string | null;
}

type BoxState = PlanStepView['state'] | 'not_run' | 'out_of_scope';

const frames: Record<BoxState, string> = {
  not_run: 'border-slate-300 bg-white',
  out_of_scope: 'border-dashed border-slate-300 bg-slate-50',
  waiting: 'border-slate-300 bg-slate-50',
  active: 'border-indigo-400 bg-indigo-50',
  ok: 'border-emerald-400 bg-emerald-50',
  bad: 'border-red-400 bg-red-50',
};

const stateWords: Record<BoxState, string> = {
  not_run: 'not run',
  out_of_scope: 'not in this re-run',
  waiting: 'waiting for parents',
  active: 'running',
  ok: 'done',
  bad: 'failed',
};

const percent = (n: number) => `${n.toFixed(n >= 100 || n === 0 ? 0 : 1)} %`;

/** C as the job page shows it: a share of rows, or what the verification is doing. */
function consistencyText(step: PlanStepView): string {
  const c = step.consistency;
  if (!c) return '—';
  if (c.score === null) return c.status === 'failed' || c.status === 'cancelled' ? c.status : 'verifying…';
  return `${(c.score * 100).toFixed(2)} %`;
}

function boxState(step: PlanStepView | undefined): BoxState {
  if (!step) return 'not_run';
  if (!step.inScope) return 'out_of_scope';
  return step.state;
}

/**
 * One mapping of the plan: its tables, and in the run shown its load step's state,
 * progress, S, error rows (orphans among them) and C; a deferred-reference second pass
 * ("fill") is shown under it with its own state.
 */
export function PlanStepBox({
  member,
  load,
  fill,
  deferredFields,
  onRerun,
}: {
  member: StepBoxMember;
  load: PlanStepView | undefined;
  fill: PlanStepView | undefined;
  deferredFields: string[];
  onRerun: (() => void) | null;
}) {
  const state = boxState(load);
  const job = load?.inScope ? load.job : null;
  // A step that finished with error rows is done, but not cleanly.
  const frame = state === 'ok' && job && job.failed > 0 ? 'border-amber-400 bg-amber-50' : frames[state];
  return (
    <div data-testid="plan-step" data-mapping={member.name} data-state={state} className={`flex h-full flex-col rounded-lg border-2 p-2 text-xs shadow-sm ${frame}`}>
      <div className="flex items-start justify-between gap-2">
        <Link href={`/mappings/${member.mappingId}`} className="truncate text-sm font-semibold text-slate-900 hover:underline" title={member.name}>
          {member.name}
        </Link>
        <span data-testid="plan-step-state" className="shrink-0 text-[11px] font-medium text-slate-600">
          {stateWords[state]}
        </span>
      </div>
      <p className="truncate font-mono text-[11px] text-slate-500">
        {member.sourceTable ?? '?'} → {member.targetTable ?? '?'}
      </p>
      {job ? (
        <>
          <div className="mt-1 h-1.5 w-full overflow-hidden rounded bg-slate-200" aria-hidden>
            <div className="h-full bg-indigo-500" style={{ width: `${Math.min(100, job.percent)}%` }} />
          </div>
          <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-2 tabular-nums">
            <dt className="text-slate-500">Progress</dt>
            <dd data-testid="plan-step-percent">
              {percent(job.percent)} · {formatCount(job.written)} written
            </dd>
            <dt className="text-slate-500">S</dt>
            <dd>{job.status === 'running' ? `${formatCount(Math.round(job.rowsPerSecond))} rows/s` : '—'}</dd>
            <dt className="text-slate-500">Error rows</dt>
            <dd data-testid="plan-step-errors" data-failed={job.failed} data-orphans={job.orphans}>
              {formatCount(job.failed)}
              {job.orphans > 0 && ` (${formatCount(job.orphans)} orphan${job.orphans === 1 ? '' : 's'})`}
            </dd>
            <dt className="text-slate-500">C</dt>
            <dd data-testid="plan-step-consistency">{load ? consistencyText(load) : '—'}</dd>
            {load?.references && (
              <>
                <dt className="text-slate-500" title={`Rows whose ${load.references.fields.join(', ')} differs from the record made from their source parent (from its verification)`}>
                  Links
                </dt>
                <dd data-testid="plan-step-references">
                  {load.references.mismatches === 0 ? 'all point right' : `${formatCount(load.references.mismatches)} point elsewhere`}
                </dd>
              </>
            )}
          </dl>
        </>
      ) : (
        <p className="mt-2 text-slate-500">{state === 'out_of_scope' ? 'Done by an earlier run.' : state === 'not_run' ? 'Runs when the plan runs.' : 'Starts once its parents are done.'}</p>
      )}
      {deferredFields.length > 0 && (
        <p data-testid="plan-step-fill" className="mt-1 rounded bg-white/70 px-1 text-[11px] text-slate-700" title={`Written after both sides are loaded: ${deferredFields.join(', ')}`}>
          2nd pass: {deferredFields.join(', ')}
          {fill?.job ? ` · ${stateWords[boxState(fill)]} ${percent(fill.job.percent)}` : fill ? ` · ${stateWords[boxState(fill)]}` : ''}
        </p>
      )}
      <div className="mt-auto flex items-center gap-2 whitespace-nowrap pt-1">
        {load?.job && (
          <Link href={`/jobs/${load.job.id}`} className="font-medium text-indigo-700 hover:underline" data-testid="plan-step-job">
            migration job
          </Link>
        )}
        {fill?.job && (
          <Link href={`/jobs/${fill.job.id}`} className="font-medium text-indigo-700 hover:underline">
            2nd pass job
          </Link>
        )}
        {onRerun && (
          <button type="button" onClick={onRerun} className="ml-auto font-medium text-slate-700 hover:underline" title="Re-run this mapping and every mapping that depends on it">
            Re-run this and its dependents
          </button>
        )}
      </div>
    </div>
  );
}
