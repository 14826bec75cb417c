import type { z } from 'zod';
import { prisma } from '../db/client';

/** A job's stored options, parsed by its kind's schema (never read by a cast). */
export async function loadJobOptions<S extends z.ZodType>(schema: S, jobId: string): Promise<z.infer<S> | null> {
  const job = await prisma().job.findUnique({ where: { id: jobId }, select: { options: true } });
  return job ? schema.parse(job.options) : null;
}
