import { prisma } from '../db/client';
import { Prisma } from '../db/generated/client';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import { assertTransition, type JobStatus } from './job-state';
import { jobKindOf } from './kinds/job-kinds';
import type { JobKindDefinition } from './kinds/job-kind';
import { recordEvent } from './record-event';
import { replanJob } from './enqueue-planner';
import { enqueueUnits } from './units/enqueue-units';

async function currentJob(jobId: string): Promise<{ status: JobStatus; definition: JobKindDefinition }> {
  const job = await prisma().job.findUnique({ where: { id: jobId }, select: { status: true, kind: true } });
  if (!job) throw notFound('Job');
  return { status: job.status, definition: jobKindOf(job.kind) };
}

/** Only kinds whose definition says so can pause and resume; the rest are short and re-runnable. */
function assertPausable(definition: JobKindDefinition, action: string): void {
  if (!definition.pausable) {
    throw new AppError('illegal_transition', `Cannot ${action} a ${definition.label} job; cancel it and start it again instead`);
  }
}

/** Moves a job only if it is still in the state we checked (another admin may race us). */
async function move(jobId: string, from: JobStatus, to: JobStatus) {
  const moved = await prisma().job.updateMany({ where: { id: jobId, status: from }, data: { status: to } });
  return moved.count === 1;
}

/** Running batches finish and checkpoint; no new batch starts. */
export async function pauseJob(actor: Actor, jobId: string): Promise<JobStatus> {
  const { status: from, definition } = await currentJob(jobId);
  assertPausable(definition, 'pause');
  assertTransition(from, 'pausing', 'pause');
  if (!(await move(jobId, from, 'pausing'))) return pauseJob(actor, jobId);
  await recordEvent(jobId, 'pausing', `Pause requested by ${actor.email}`);
  await recordAudit(actor, 'job.pause', 'job', jobId, { status: from }, { status: 'pausing' });
  await definition.afterControl?.(jobId, 'pause');
  await definition.settle(jobId);
  return (await currentJob(jobId)).status;
}

/**
 * Continues every unfinished unit from its checkpoint. A job paused before its plan
 * existed goes back to its planner: resuming it must not find "nothing left to do".
 */
export async function resumeJob(actor: Actor, jobId: string): Promise<JobStatus> {
  const { status: from, definition } = await currentJob(jobId);
  assertPausable(definition, 'resume');
  assertTransition(from, 'running', 'resume');
  const job = await prisma().job.findUniqueOrThrow({ where: { id: jobId }, select: { plannedAt: true } });
  if (!job.plannedAt && definition.planner) {
    if (!(await move(jobId, from, 'queued'))) return resumeJob(actor, jobId);
    await prisma().job.update({ where: { id: jobId }, data: { stopReason: null, condition: Prisma.DbNull } });
    await replanJob(definition, jobId);
    await recordEvent(jobId, 'resumed', `Resumed by ${actor.email}: the job had no plan yet, so it is planned again`);
    await recordAudit(actor, 'job.resume', 'job', jobId, { status: from }, { status: 'queued' });
    return (await currentJob(jobId)).status;
  }
  if (!(await move(jobId, from, 'running'))) return resumeJob(actor, jobId);
  await prisma().job.update({ where: { id: jobId }, data: { stopReason: null } });
  const { store } = definition.units;
  const units = await prisma().$queryRaw<{ id: string }[]>`
    UPDATE ${Prisma.raw(store.table)} SET status = 'pending' WHERE job_id = ${jobId} AND status::text IN ('paused', 'pending') RETURNING id`;
  await enqueueUnits(definition, jobId, units.map((u) => u.id), `r${Date.now().toString(36)}`);
  await recordEvent(jobId, 'resumed', `Resumed by ${actor.email}: ${units.length} ${store.noun}(s) continue from their checkpoints`);
  await recordAudit(actor, 'job.resume', 'job', jobId, { status: from }, { status: 'running' });
  await definition.afterControl?.(jobId, 'resume');
  await definition.settle(jobId);
  return (await currentJob(jobId)).status;
}

/** Stops the job; rows already written stay in the target. */
export async function cancelJob(actor: Actor, jobId: string): Promise<JobStatus> {
  const { status: from, definition } = await currentJob(jobId);
  assertTransition(from, 'cancelling', 'cancel');
  if (!(await move(jobId, from, 'cancelling'))) return cancelJob(actor, jobId);
  const { store } = definition.units;
  await prisma().$executeRaw`
    UPDATE ${Prisma.raw(store.table)} SET status = 'cancelled' WHERE job_id = ${jobId} AND status::text = ANY(${[...store.cancellable]}::text[])`;
  await recordEvent(jobId, 'cancelling', `Cancel requested by ${actor.email}`, undefined, 'warn');
  await recordAudit(actor, 'job.cancel', 'job', jobId, { status: from }, { status: 'cancelling' });
  await definition.afterControl?.(jobId, 'cancel');
  await definition.settle(jobId);
  return (await currentJob(jobId)).status;
}
