import type { KeyTuple } from '@/lib/connectors/connector';
import { prisma } from '@/lib/db/client';
import { repairBatch, saveRepairCheckpoint } from '@/lib/consistency/repair-batch';
import { loadJobContext } from '@/lib/engine/load-job-context';
import { isFinal } from '@/lib/jobs/job-state';
import { recordEvent } from '@/lib/jobs/record-event';
import { repairOutcomes } from '@/lib/jobs/start-repair';
import { startVerify } from '@/lib/jobs/start-verify';
import { jobPayloads } from '@/lib/queue/job-names';
import type { ProcessorContext } from '../registry';

const REPAIR_BATCH = 500;

/** "Then verifies again": a verification of the repaired target, by whoever started the repair. */
async function verifyRepaired(jobId: string, state: { createdById: string | null; mappingId: string; mappingVersionId: string }): Promise<string> {
  const creator = state.createdById ? await prisma().user.findUnique({ where: { id: state.createdById }, select: { id: true, email: true, name: true, role: true } }) : null;
  const verify = await startVerify({ mappingId: state.mappingId, mappingVersionId: state.mappingVersionId, parentJobId: jobId, actor: creator ?? undefined });
  await prisma().consistencyRepair.update({ where: { jobId }, data: { verifyJobId: verify.jobId } });
  await recordEvent(jobId, 'verify_started', `Verifying the repaired target (job ${verify.jobId})`, { verifyJobId: verify.jobId });
  return verify.jobId;
}

/**
 * A repair job: walks the report's keys in id order from its checkpoint, repairs them in
 * batches (lib/consistency/repair-batch.ts), honours a cancel between batches, then
 * settles and starts a verification of the repaired target.
 */
export async function repairRows({ job }: ProcessorContext) {
  const { jobId } = jobPayloads['repair-rows'].parse(job.data);
  const repair = await prisma().consistencyRepair.findUnique({ where: { jobId } });
  const state = await prisma().job.findUnique({ where: { id: jobId }, select: { status: true, createdById: true, mappingId: true, mappingVersionId: true } });
  if (!repair || !state) return { skipped: 'repair deleted' };
  if (state.status === 'cancelled' || state.status === 'failed') return { skipped: `repair ${state.status}` };
  if (isFinal(state.status) && repair.verifyJobId) return { skipped: 'repair finished' };
  await prisma().job.updateMany({ where: { id: jobId, status: 'queued' }, data: { status: 'running', startedAt: new Date() } });
  // A crash after the last batch only leaves the settling and the verification to do: the
  // loop below finds nothing after the cursor.
  const ctx = await loadJobContext(jobId);
  if (!ctx) return { skipped: 'job deleted' };
  const outcomes = [...repairOutcomes(repair.deleteExtra)];

  let cursor = repair.cursor;
  for (;;) {
    const current = await prisma().job.findUnique({ where: { id: jobId }, select: { status: true } });
    if (current?.status === 'cancelling' || current?.status === 'cancelled') {
      await prisma().job.updateMany({ where: { id: jobId, status: 'cancelling' }, data: { status: 'cancelled', finishedAt: new Date(), stopReason: 'Repair cancelled; rows repaired so far stay repaired' } });
      await prisma().runKey.deleteMany({ where: { jobId } });
      return { stopped: 'cancelled' };
    }
    const keys = await prisma().consistencyKey.findMany({
      where: { reportId: repair.reportId, id: { gt: cursor }, outcome: { in: outcomes } },
      orderBy: { id: 'asc' },
      take: REPAIR_BATCH,
      select: { id: true, outcome: true, key: true, sourceKey: true },
    });
    if (keys.length === 0) break;
    const batch = await repairBatch(
      ctx,
      keys.map((k) => ({ id: k.id, outcome: k.outcome, key: k.key as KeyTuple | null, sourceKey: k.sourceKey as KeyTuple | null })),
      repair.deleteExtra,
    );
    cursor = keys[keys.length - 1].id;
    await saveRepairCheckpoint(jobId, ctx.mappingVersionId, cursor, batch);
  }

  const done = await prisma().consistencyRepair.findUniqueOrThrow({ where: { jobId } });
  const status = done.rowsFailed > 0 ? 'completed_with_errors' : 'completed';
  const reason = done.rowsFailed > 0 ? `${done.rowsFailed} row(s) still do not land; they are listed as error rows` : null;
  // A pause does not stop a repair (it is short and idempotent); the generic job controls may
  // even have settled it as completed meanwhile: the repair's own outcome is the truth.
  const moved = await prisma().job.updateMany({
    where: { id: jobId, status: { notIn: ['cancelling', 'cancelled', 'failed'] } },
    data: { status, finishedAt: new Date(), ...(reason ? { stopReason: reason } : {}) },
  });
  await prisma().runKey.deleteMany({ where: { jobId } });
  if (moved.count === 0) return { skipped: 'settled elsewhere' };
  await recordEvent(jobId, 'finished', `Repair ${status.replace(/_/g, ' ')}: ${done.rowsWritten} re-synced, ${done.rowsDeleted} deleted, ${done.rowsFailed} failed, ${done.rowsGone} gone from the source`, {
    written: done.rowsWritten,
    deleted: done.rowsDeleted,
    failed: done.rowsFailed,
    gone: done.rowsGone,
  }, reason ? 'warn' : 'info');

  return { status, verifyJobId: await verifyRepaired(jobId, state) };
}
