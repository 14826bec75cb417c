import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import { enqueueChunks } from '../engine/enqueue-chunks';
import { assertTransition, type JobStatus } from './job-state';
import { settleVerify } from '../consistency/settle-verify';
import { settleJob } from './finalize-job';
import { recordEvent } from './record-event';

/** Verify and repair jobs are short and re-runnable: they can only be cancelled. */
async function assertPausable(jobId: string, action: string): Promise<void> {
  const job = await prisma().job.findUnique({ where: { id: jobId }, select: { kind: true } });
  if (job && (job.kind === 'verify' || job.kind === 'repair')) {
    throw new AppError('illegal_transition', `Cannot ${action} a ${job.kind} job; cancel it and start it again instead`);
  }
}

async function currentStatus(jobId: string): Promise<JobStatus> {
  const job = await prisma().job.findUnique({ where: { id: jobId }, select: { status: true } });
  if (!job) throw notFound('Job');
  return job.status;
}

/** Moves a job only if it is still in the state we checked (another admin may race us). */
async function move(jobId: string, from: JobStatus, to: JobStatus) {
  const moved = await prisma().job.updateMany({ where: { id: jobId, status: from }, data: { status: to } });
  return moved.count === 1;
}

/** Running batches finish and checkpoint; no new batch starts. */
export async function pauseJob(actor: Actor, jobId: string) {
  await assertPausable(jobId, 'pause');
  const from = await currentStatus(jobId);
  assertTransition(from, 'pausing', 'pause');
  if (!(await move(jobId, from, 'pausing'))) return pauseJob(actor, jobId);
  await recordEvent(jobId, 'pausing', `Pause requested by ${actor.email}`);
  await recordAudit(actor, 'job.pause', 'job', jobId, { status: from }, { status: 'pausing' });
  await settleJob(jobId);
  return currentStatus(jobId);
}

/** Continues every unfinished chunk from its checkpoint. */
export async function resumeJob(actor: Actor, jobId: string) {
  await assertPausable(jobId, 'resume');
  const from = await currentStatus(jobId);
  assertTransition(from, 'running', 'resume');
  if (!(await move(jobId, from, 'running'))) return resumeJob(actor, jobId);
  await prisma().job.update({ where: { id: jobId }, data: { stopReason: null } });
  const chunks = await prisma().chunk.findMany({ where: { jobId, status: { in: ['paused', 'pending'] } }, select: { id: true } });
  await prisma().chunk.updateMany({ where: { jobId, status: 'paused' }, data: { status: 'pending' } });
  await enqueueChunks(jobId, chunks.map((c) => c.id), `r${Date.now().toString(36)}`);
  await recordEvent(jobId, 'resumed', `Resumed by ${actor.email}: ${chunks.length} chunk(s) continue from their checkpoints`);
  await recordAudit(actor, 'job.resume', 'job', jobId, { status: from }, { status: 'running' });
  await settleJob(jobId);
  return currentStatus(jobId);
}

/** Stops the job; rows already written stay in the target. */
export async function cancelJob(actor: Actor, jobId: string) {
  const from = await currentStatus(jobId);
  assertTransition(from, 'cancelling', 'cancel');
  if (!(await move(jobId, from, 'cancelling'))) return cancelJob(actor, jobId);
  await prisma().chunk.updateMany({ where: { jobId, status: { in: ['pending', 'paused'] } }, data: { status: 'cancelled' } });
  await recordEvent(jobId, 'cancelling', `Cancel requested by ${actor.email}`, undefined, 'warn');
  await recordAudit(actor, 'job.cancel', 'job', jobId, { status: from }, { status: 'cancelling' });
  if ((await prisma().job.findUnique({ where: { id: jobId }, select: { kind: true } }))?.kind === 'verify') {
    await prisma().consistencyRange.updateMany({ where: { jobId, status: { in: ['pending', 'waiting'] } }, data: { status: 'cancelled' } });
    await settleVerify(jobId);
  } else {
    await settleJob(jobId);
  }
  return currentStatus(jobId);
}
