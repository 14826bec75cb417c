import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../audit/record-audit';
import type { Actor } from '../auth/roles';
import { MAX_DB_INTEGER } from '../schemas/db-integer';
import { jobKindOf } from './kinds/job-kinds';
import { recordEvent } from './record-event';

export const dismissErrorRowsSchema = z.object({
  /** Only these rows; default: every open error row of the job. */
  errorRowIds: z.array(z.number().int().positive().max(MAX_DB_INTEGER, 'must be an error row number')).min(1).max(1000).optional(),
});
export type DismissErrorRowsRequest = z.infer<typeof dismissErrorRowsSchema>;

/**
 * An admin gives up on failed keys of a sync: a sync retries its open error rows on every
 * run until they pass, and a dismissed row is resolved without landing, so it is retried no
 * more (and listed as dismissed, by whom and when). If its key changes in the source again
 * and fails, the sync opens it again. Rows of other kinds are replayed or stay listed: they
 * are not retried, so there is nothing to stop.
 */
export async function dismissErrorRows(actor: Actor, jobId: string, request: DismissErrorRowsRequest): Promise<{ dismissed: number }> {
  const job = await prisma().job.findUnique({ where: { id: jobId }, select: { kind: true } });
  if (!job) throw notFound('Job');
  if (jobKindOf(job.kind).units.deliveredBy !== 'schedule') {
    throw new AppError('conflict', 'Only a sync’s error rows can be dismissed (a sync retries them on every run); replay these rows instead');
  }
  const where = { jobId, resolvedAt: null, ...(request.errorRowIds ? { id: { in: request.errorRowIds } } : {}) };
  const now = new Date();
  const { count } = await prisma().errorRow.updateMany({ where, data: { resolvedAt: now, dismissedAt: now, dismissedByEmail: actor.email } });
  if (count === 0) throw new AppError('conflict', request.errorRowIds ? 'None of these error rows is open' : 'This job has no open error rows');
  await recordEvent(jobId, 'error_rows_dismissed', `${count} error row(s) dismissed by ${actor.email}: no longer retried`);
  await recordAudit(actor, 'error_row.dismiss', 'job', jobId, null, { dismissed: count, errorRowIds: request.errorRowIds ?? 'all open' });
  return { dismissed: count };
}
