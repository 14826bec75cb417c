import { prisma } from '../db/client';
import { notFound } from '../errors';
import { getJobProgress } from '../jobs/job-progress';
import { jobsByStep, stepState, type StepState } from './advance-plan-run';
import { loadPlanGraph } from './load-plan-graph';
import type { PlanSteps } from './plan-graph';

export interface PlanStepView {
  id: string;
  mappingId: string;
  pass: 'load' | 'fill';
  dependsOn: string[];
  /** Outside a re-run's scope: done by an earlier run. */
  inScope: boolean;
  state: StepState;
  job: {
    id: string;
    status: string;
    percent: number;
    read: number;
    written: number;
    failed: number;
    rowsPerSecond: number;
    /** Of the failed rows, those whose parent record was not migrated. */
    orphans: number;
  } | null;
  /** The step's verification (C), once it ran. */
  consistency: { reportId: string; status: string; score: number | null; matched: number; different: number; missing: number; extra: number } | null;
  /**
   * The referential check of a step with reference fields, from its verification: rows whose
   * reference points to another record than the one made from their source parent (the
   * verification resolves each reference through the parent's id map and compares), and the
   * orphans (parent not migrated). Null until the step was verified, or without references.
   */
  references: { fields: string[]; mismatches: number; orphans: number } | null;
}

export interface PlanRunView {
  id: string;
  status: string;
  stopReason: string | null;
  createdAt: string;
  finishedAt: string | null;
  scope: string[] | null;
  /** The graph the run was started with. */
  graph: PlanSteps;
  steps: PlanStepView[];
  totals: { read: number; written: number; failed: number; orphans: number; rowsPerSecond: number };
  /** C over every verified step: Σ matched / Σ (matched + 2·different + missing + extra). */
  combinedScore: number | null;
  /** Over every step with references: verified ones only; `complete` once all of them are. */
  referentialCheck: { complete: boolean; mismatches: number; orphans: number };
  actions: ('pause' | 'resume' | 'cancel')[];
}

export interface PlanView {
  id: string;
  name: string;
  members: { mappingId: string; name: string; sourceTable: string; targetTable: string; archived: boolean }[];
  /** The order the plan would run in now (the mappings' latest versions). */
  graph: PlanSteps;
  run: PlanRunView | null;
  runs: { id: string; status: string; createdAt: string; finishedAt: string | null; scope: string[] | null }[];
}

export async function listPlans() {
  const plans = await prisma().plan.findMany({
    orderBy: { name: 'asc' },
    select: { id: true, name: true, createdAt: true, _count: { select: { members: true } }, runs: { orderBy: { createdAt: 'desc' }, take: 1, select: { id: true, status: true, createdAt: true } } },
  });
  return plans.map((p) => ({ id: p.id, name: p.name, createdAt: p.createdAt.toISOString(), mappings: p._count.members, lastRun: p.runs[0] ? { ...p.runs[0], createdAt: p.runs[0].createdAt.toISOString() } : null }));
}

/** The plan page: its graph now, and its latest run (or `runId`) with each step's progress, S, error rows and C. */
export async function getPlanView(planId: string, runId?: string): Promise<PlanView> {
  const plan = await loadPlanGraph(planId);
  const runs = await prisma().planRun.findMany({ where: { planId }, orderBy: { createdAt: 'desc' }, take: 20, select: { id: true, status: true, createdAt: true, finishedAt: true, scope: true } });
  const chosen = runId ?? runs[0]?.id;
  if (runId && !runs.some((r) => r.id === runId)) throw notFound('Plan run');
  return {
    ...plan,
    run: chosen ? await getPlanRunView(chosen) : null,
    runs: runs.map((r) => ({ id: r.id, status: r.status, createdAt: r.createdAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null, scope: r.scope as string[] | null })),
  };
}

export async function getPlanRunView(runId: string): Promise<PlanRunView> {
  const run = await prisma().planRun.findUnique({
    where: { id: runId },
    select: {
      id: true, status: true, stopReason: true, createdAt: true, finishedAt: true, scope: true, steps: true,
      jobs: { orderBy: { createdAt: 'asc' }, select: { id: true, mappingId: true, planStep: true, status: true } },
    },
  });
  if (!run) throw notFound('Plan run');
  const graph = run.steps as unknown as PlanSteps;
  const scope = run.scope as string[] | null;
  const byStep = jobsByStep(run.jobs);
  const jobIds = [...byStep.values()].map((j) => j.id);
  const [orphanCounts, reports] = await Promise.all([
    prisma().errorRow.groupBy({ by: ['jobId'], where: { jobId: { in: jobIds }, code: 'parent_not_migrated', resolvedAt: null }, _count: { _all: true } }),
    prisma().consistencyReport.findMany({
      where: { job: { parentJobId: { in: jobIds }, kind: 'verify' } },
      orderBy: { createdAt: 'desc' },
      select: { id: true, score: true, finishedAt: true, matched: true, different: true, missing: true, extra: true, job: { select: { parentJobId: true, status: true } } },
    }),
  ]);
  const orphansOf = new Map(orphanCounts.map((o) => [o.jobId, o._count._all]));
  const reportOf = new Map<string, (typeof reports)[number]>();
  for (const report of reports) if (report.job.parentJobId && !reportOf.has(report.job.parentJobId)) reportOf.set(report.job.parentJobId, report);

  const steps: PlanStepView[] = [];
  for (const step of graph.steps) {
    const inScope = scope === null || scope.includes(step.mappingId);
    const job = byStep.get(step.id);
    const progress = job ? await getJobProgress(job.id) : null;
    const report = job ? reportOf.get(job.id) : undefined;
    const referenceFields = [...new Set(graph.edges.filter((e) => e.why === 'reference' && e.child === step.mappingId).flatMap((e) => e.fields))];
    const references =
      referenceFields.length > 0 && report?.score !== null && report?.score !== undefined && job
        ? { fields: referenceFields, mismatches: await referenceMismatches(report.id, referenceFields), orphans: orphansOf.get(job.id) ?? 0 }
        : null;
    steps.push({
      id: step.id,
      mappingId: step.mappingId,
      pass: step.pass,
      dependsOn: step.dependsOn,
      inScope,
      state: inScope ? stepState(job?.status) : 'ok',
      job: job && progress
        ? {
            id: job.id,
            status: job.status,
            percent: progress.percent,
            read: progress.totals.read,
            written: progress.totals.written,
            failed: progress.totals.failed,
            rowsPerSecond: progress.rate.rowsPerSecond,
            orphans: orphansOf.get(job.id) ?? 0,
          }
        : null,
      consistency: report
        ? { reportId: report.id, status: report.job.status, score: report.score, matched: report.matched, different: report.different, missing: report.missing, extra: report.extra }
        : null,
      references,
    });
  }
  const sum = (pick: (s: PlanStepView) => number) => steps.reduce((total, s) => total + pick(s), 0);
  const scored = steps.filter((s) => s.consistency?.score !== null && s.consistency?.score !== undefined);
  const matched = scored.reduce((t, s) => t + (s.consistency?.matched ?? 0), 0);
  const weight = scored.reduce((t, s) => t + (s.consistency ? s.consistency.matched + 2 * s.consistency.different + s.consistency.missing + s.consistency.extra : 0), 0);
  return {
    id: run.id,
    status: run.status,
    stopReason: run.stopReason,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    scope,
    graph,
    steps,
    totals: {
      read: sum((s) => s.job?.read ?? 0),
      written: sum((s) => s.job?.written ?? 0),
      failed: sum((s) => s.job?.failed ?? 0),
      orphans: sum((s) => s.job?.orphans ?? 0),
      rowsPerSecond: sum((s) => (s.job && s.job.status === 'running' ? s.job.rowsPerSecond : 0)),
    },
    combinedScore: scored.length === 0 ? null : weight === 0 ? 1 : matched / weight,
    referentialCheck: {
      complete: steps.filter((s) => s.inScope && graph.edges.some((e) => e.why === 'reference' && e.child === s.mappingId)).every((s) => s.references !== null),
      mismatches: sum((s) => s.references?.mismatches ?? 0),
      orphans: sum((s) => s.references?.orphans ?? 0),
    },
    actions: run.status === 'running' ? ['pause', 'cancel'] : run.status === 'paused' ? ['resume', 'cancel'] : [],
  };
}

/** Stored differences of a report in which a reference field differs. */
async function referenceMismatches(reportId: string, fields: string[]): Promise<number> {
  const [row] = await prisma().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM consistency_diffs d
     WHERE d.report_id = ${reportId} AND d.kind = 'different'
       AND EXISTS (SELECT 1 FROM jsonb_array_elements(d.fields::jsonb) f WHERE f->>'field' = ANY(${fields}::text[]))`;
  return row?.n ?? 0;
}
