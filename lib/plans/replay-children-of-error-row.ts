import type { Actor } from '../auth/roles';
import { prisma } from '../db/client';
import { notFound } from '../errors';
import { replayWaitingChildren } from './replay-waiting-children';

/**
 * Replays the open orphan rows that wait for one error row of a job (see
 * replayWaitingChildren). The row is addressed under its job, like every error-row
 * action, so a row id of another job is not found rather than acted on.
 */
export async function replayChildrenOfErrorRow(actor: Actor, jobId: string, errorRowId: number) {
  const row = await prisma().errorRow.findFirst({ where: { id: errorRowId, jobId }, select: { id: true } });
  if (!row) throw notFound('Error row');
  return replayWaitingChildren(actor, row.id);
}
