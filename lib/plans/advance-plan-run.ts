import type { Actor } from '../auth/roles';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { isFinal, type JobStatus } from '../jobs/job-state';
import { startMigration } from '../jobs/start-migration';
import type { JobOptions } from '../schemas/job-request';
import { followRunControl } from './control-plan-run';
import type { PlanSteps } from './plan-graph';

export type StepState = 'waiting' | 'active' | 'ok' | 'bad';

/** A step's state from its latest migration job (none yet: waiting). */
export function stepState(status: JobStatus | undefined): StepState {
  if (status === undefined) return 'waiting';
  if (status === 'completed' || status === 'completed_with_errors') return 'ok';
  if (isFinal(status)) return 'bad';
  return 'active';
}

/** The latest job of each step of a run, by step id (`<mapping id>:<load|fill>`). */
export function jobsByStep<J extends { mappingId: string; planStep: string | null }>(jobs: J[]): Map<string, J> {
  const byStep = new Map<string, J>();
  for (const job of jobs) byStep.set(`${job.mappingId}:${job.planStep ?? 'load'}`, job);
  return byStep;
}

/**
 * Moves a plan run on: starts every step (a migration job of one mapping) whose parents
 * are done, and settles the run when nothing is left: completed (with errors when any
 * step had error rows), or failed once a step failed or was cancelled and nothing else
 * runs (its dependents never start: their rows would all be orphans). Called when a run
 * starts or resumes, when one of its migrations settles, and by the sweeper (a worker
 * that died between a migration's end and this call loses nothing). Serialised per run
 * with an advisory lock, so two callers never start a step twice.
 */
export async function advancePlanRun(runId: string): Promise<void> {
  const paused = await prisma().planRun.findUnique({ where: { id: runId }, select: { status: true, createdById: true } });
  if (paused?.status === 'paused') {
    // A step that was queued when the run paused could not be paused then; it is now.
    const actor = await runActor(paused.createdById);
    if (actor) await followRunControl(actor, runId, 'pause');
    return;
  }
  await prisma().$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`plan-run:${runId}`}))`;
      const run = await tx.planRun.findUnique({
        where: { id: runId },
        select: {
          status: true, steps: true, scope: true, options: true, createdById: true,
          jobs: { orderBy: { createdAt: 'asc' }, select: { id: true, mappingId: true, planStep: true, status: true, mapping: { select: { name: true } } } },
        },
      });
      if (!run || run.status !== 'running') return;
      const graph = run.steps as unknown as PlanSteps;
      const scope = run.scope as string[] | null;
      const inScope = (mappingId: string) => scope === null || scope.includes(mappingId);
      const steps = graph.steps.filter((step) => inScope(step.mappingId));
      const byStep = jobsByStep(run.jobs);
      const stateOf = (stepId: string): StepState => {
        const step = graph.steps.find((s) => s.id === stepId);
        if (step && !inScope(step.mappingId)) return 'ok';
        return stepState(byStep.get(stepId)?.status);
      };
      const states = steps.map((step) => ({ step, state: stateOf(step.id) }));
      const bad = states.filter((s) => s.state === 'bad');
      const active = states.some((s) => s.state === 'active');
      const finish = async (status: 'completed' | 'completed_with_errors' | 'failed', stopReason: string | null) => {
        await tx.planRun.update({ where: { id: runId }, data: { status, stopReason, finishedAt: new Date() } });
      };
      if (bad.length > 0) {
        if (!active) {
          const names = bad.map(({ step }) => `${byStep.get(step.id)?.mapping.name ?? step.mappingId} ${byStep.get(step.id)?.status ?? ''}`.trim());
          const blocked = states.filter((s) => s.state === 'waiting').length;
          await finish('failed', `${names.join(', ')}${blocked > 0 ? `; ${blocked} step(s) that depend on it did not start` : ''}`);
        }
        return;
      }
      if (states.every((s) => s.state === 'ok')) {
        const withErrors = steps.some((step) => byStep.get(step.id)?.status === 'completed_with_errors');
        await finish(withErrors ? 'completed_with_errors' : 'completed', null);
        return;
      }
      const ready = states.filter((s) => s.state === 'waiting' && s.step.dependsOn.every((parent) => stateOf(parent) === 'ok'));
      if (ready.length === 0) return;
      const actor = await runActor(run.createdById);
      if (!actor) {
        await finish('failed', 'the user who started this run no longer exists: start the plan again');
        return;
      }
      const heights = chainHeights(steps);
      const tallest = Math.max(0, ...heights.values());
      for (const { step } of ready) {
        // Steps with the longest chain of dependents below them take the workers first.
        const options = { priority: 1 + tallest - (heights.get(step.id) ?? 0), ...(run.options as Partial<JobOptions>) };
        try {
          await startMigration(actor, { mappingId: step.mappingId, options }, { runId, step: step.pass });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          await finish('failed', `could not start a step: ${error.message}`);
          return;
        }
      }
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/** Steps start in the name of the admin who started the run (job creator, audit). */
async function runActor(userId: string | null): Promise<Actor | null> {
  if (!userId) return null;
  return prisma().user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, role: true } });
}

/** Per step: the longest chain of steps that wait for it, directly or not (0 for a step nothing waits for). */
export function chainHeights(steps: PlanSteps['steps']): Map<string, number> {
  const children = new Map<string, string[]>();
  for (const step of steps) for (const parent of step.dependsOn) children.set(parent, [...(children.get(parent) ?? []), step.id]);
  const heights = new Map<string, number>();
  const height = (id: string, seen: Set<string>): number => {
    const known = heights.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const value = Math.max(-1, ...(children.get(id) ?? []).map((child) => height(child, seen))) + 1;
    heights.set(id, value);
    return value;
  };
  for (const step of steps) height(step.id, new Set());
  return heights;
}
