import type { Prisma } from '../db/client';
import { AppError } from '../errors';
import { finalStatuses } from '../jobs/job-state';

/**
 * Refuses (409, naming the job) while a job not yet finished reads this file source's
 * table: changing the file or its shape under it would mix two files in one run. A job
 * reads the table of the mapping version it pinned, which may differ from the mapping's
 * current source table, so both are looked at.
 */
export async function assertTableNotRead(tx: Prisma.TransactionClient, connectionId: string, tableName: string, action: string): Promise<void> {
  const job = await tx.job.findFirst({
    where: {
      status: { notIn: [...finalStatuses] },
      mapping: { sourceConnectionId: connectionId },
      OR: [{ mapping: { sourceTable: tableName } }, { mappingVersion: { spec: { path: ['source', 'table'], equals: tableName } } }],
    },
    select: { id: true, kind: true, status: true, mapping: { select: { name: true } } },
    orderBy: { createdAt: 'asc' },
  });
  if (job) {
    throw new AppError(
      'conflict',
      `Cannot ${action}: ${job.kind} job ${job.id} of mapping "${job.mapping.name}" is ${job.status.replace(/_/g, ' ')} and reads table "${tableName}". Wait for it to finish or cancel it first.`,
    );
  }
}
