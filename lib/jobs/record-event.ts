import { prisma, type Prisma } from '../db/client';

export type EventLevel = 'info' | 'warn' | 'error';

/** Appends to a job's event log (kept in PostgreSQL: BullMQ's event stream is trimmed). */
export async function recordEvent(jobId: string, type: string, message: string, data?: Record<string, unknown>, level: EventLevel = 'info') {
  await prisma().jobEvent.create({
    data: { jobId, type, message, level, data: data as Prisma.InputJsonValue | undefined },
  });
}
