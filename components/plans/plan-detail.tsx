'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useDeletePlan, usePlan, usePlanRunAction, useStartPlanRun, useUpdatePlan } from '@/hooks/use-plans';
import type { PlanRunView, PlanView } from '@/lib/plans/plan-view';
import { useCan } from '@/components/layout/actor-context';
import { Button } from '@/components/ui/button';
import { Card, ErrorNotice, PageHeader } from '@/components/ui/card';
import { Select } from '@/components/ui/field';
import { formatCount } from '@/components/jobs/format';
import { PlanForm } from './plan-form';
import { PlanGraphView } from './plan-graph-view';
import { PlanRunControls, runRefusal } from './plan-run-controls';
import { PlanRunStatusBadge } from './plan-run-status-badge';

const when = (iso: string) => new Date(iso).toLocaleString();

function Cycles({ plan }: { plan: PlanView }) {
  if (plan.graph.cycles.length === 0) return null;
  return (
    <Card title="Cycles">
      <ul className="space-y-2 text-sm">
        {plan.graph.cycles.map((cycle, index) => (
          <li
            key={index}
            data-testid="plan-cycle"
            data-blocking={cycle.blocking}
            className={`rounded-md border px-3 py-2 ${cycle.blocking ? 'border-red-200 bg-red-50 text-red-900' : 'border-amber-200 bg-amber-50 text-amber-900'}`}
          >
            {cycle.blocking && <strong>Blocks the plan: </strong>}
            {cycle.message}
          </li>
        ))}
      </ul>
    </Card>
  );
}

function RunSummary({ run }: { run: PlanRunView }) {
  const t = run.totals;
  const items: [string, string, string][] = [
    ['Rows read', formatCount(t.read), 'plan-total-read'],
    ['Written', formatCount(t.written), 'plan-total-written'],
    ['Error rows', `${formatCount(t.failed)}${t.orphans > 0 ? ` (${formatCount(t.orphans)} orphan${t.orphans === 1 ? '' : 's'})` : ''}`, 'plan-total-failed'],
    ['S now', run.status === 'running' ? `${formatCount(Math.round(t.rowsPerSecond))} rows/s` : '—', 'plan-total-rate'],
    ['C combined', run.combinedScore === null ? '—' : `${(run.combinedScore * 100).toFixed(2)} %`, 'plan-combined-c'],
    [
      'Referential check',
      !run.referentialCheck.complete
        ? 'after verification'
        : run.referentialCheck.mismatches === 0
          ? 'every link right'
          : `${formatCount(run.referentialCheck.mismatches)} link(s) wrong`,
      'plan-referential-check',
    ],
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-6">
      {items.map(([label, value, testId]) => (
        <div key={label} className="rounded-md border border-slate-200 px-3 py-2">
          <dt className="text-xs text-slate-500">{label}</dt>
          <dd data-testid={testId} className="text-lg font-semibold tabular-nums text-slate-900">
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Edit and delete, for analysts and admins; a running plan keeps the steps it started with. */
function PlanSettings({ plan }: { plan: PlanView }) {
  const router = useRouter();
  const update = useUpdatePlan(plan.id);
  const remove = useDeletePlan(plan.id);
  const [editing, setEditing] = useState(false);
  return (
    <Card
      title="Plan"
      actions={
        !editing && (
          <>
            <Button variant="secondary" onClick={() => setEditing(true)}>
              Edit plan
            </Button>
            <Button
              variant="danger"
              disabled={remove.isPending}
              onClick={() =>
                window.confirm(`Delete the plan "${plan.name}" and its run history? Its migrations, error rows and id maps stay with their mappings.`) &&
                remove.mutate(undefined, { onSuccess: () => router.push('/plans') })
              }
            >
              Delete plan
            </Button>
          </>
        )
      }
    >
      <ErrorNotice error={remove.error} />
      {editing ? (
        <PlanForm
          initial={{ name: plan.name, mappingIds: plan.members.map((m) => m.mappingId) }}
          submitLabel="Save plan"
          pending={update.isPending}
          error={update.error}
          onSubmit={(request) => update.mutate(request, { onSuccess: () => setEditing(false) })}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <p className="text-sm text-slate-600">
          {plan.members.length} mapping(s): {plan.members.map((m) => `${m.name}${m.archived ? ' (archived)' : ''}`).join(', ')}.
        </p>
      )}
    </Card>
  );
}

export function PlanDetail({ id }: { id: string }) {
  const [runId, setRunId] = useState<string | undefined>(undefined);
  const plan = usePlan(id, runId);
  const start = useStartPlanRun(id);
  const action = usePlanRunAction(id);
  const canWrite = useCan('mappings:write');
  const canControl = useCan('jobs:control');
  if (plan.error && !plan.data) return <ErrorNotice error={plan.error} />;
  if (!plan.data) return <p className="text-sm text-slate-500">Loading…</p>;
  const p = plan.data;
  const run = p.run;
  // The run's own graph (frozen when it started); before any run, the order the plan would run in now.
  const graph = run?.graph ?? p.graph;
  const refusal = runRefusal(p);
  const rerun =
    canControl && refusal === null
      ? (mappingId: string) => {
          const name = p.members.find((m) => m.mappingId === mappingId)?.name ?? 'this mapping';
          if (window.confirm(`Re-run "${name}" and every mapping that depends on it? Their references are resolved again.`)) {
            start.mutate({ rerun: [mappingId] }, { onSuccess: () => setRunId(undefined) });
          }
        }
      : null;
  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            Plan · {p.name} {run && <PlanRunStatusBadge status={run.status} />}
          </span>
        }
        subtitle={`${p.members.length} mapping(s), run parents first; references take the ids the target gave their parents.`}
        actions={<PlanRunControls plan={p} start={start} action={action} onStarted={() => setRunId(undefined)} />}
      />
      <div className="mb-4 space-y-2">
        <ErrorNotice error={start.error ?? action.error ?? (plan.data ? plan.error : null)} />
        {canControl && refusal && !refusal.startsWith('A run is') && (
          <p data-testid="plan-run-refusal" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {refusal}
          </p>
        )}
        {run?.stopReason && (
          <p data-testid="plan-stop-reason" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {run.stopReason}
          </p>
        )}
      </div>
      <div className="space-y-6">
        <Cycles plan={p} />
        <Card
          title={run ? `Run of ${when(run.createdAt)}${run.scope ? ' · re-run of part of the plan' : ''}` : 'Order'}
          actions={
            p.runs.length > 0 && (
              <Select aria-label="Run" value={runId ?? ''} onChange={(e) => setRunId(e.target.value || undefined)}>
                <option value="">Latest run</option>
                {p.runs.map((r) => (
                  <option key={r.id} value={r.id}>
                    {when(r.createdAt)} · {r.status.replace(/_/g, ' ')}
                    {r.scope ? ' · partial' : ''}
                  </option>
                ))}
              </Select>
            )
          }
        >
          {run && (
            <div className="mb-4">
              <RunSummary run={run} />
            </div>
          )}
          <PlanGraphView graph={graph} members={p.members} run={run} onRerun={run ? rerun : null} />
        </Card>
        {canWrite && <PlanSettings plan={p} />}
      </div>
    </>
  );
}
