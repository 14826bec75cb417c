import { z } from 'zod';

/**
 * Every background job kind: a name and a zod payload. Payloads carry ids only;
 * state lives in PostgreSQL. Validated when enqueued and again when processed.
 */
export const jobPayloads = {
  'plan-migration': z.object({ jobId: z.string().uuid() }),
  'copy-chunk': z.object({ jobId: z.string().uuid(), chunkId: z.string().uuid() }),
  'replay-chunk': z.object({ jobId: z.string().uuid(), chunkId: z.string().uuid() }),
  'plan-verify': z.object({ jobId: z.string().uuid() }),
  'verify-range': z.object({ jobId: z.string().uuid(), rangeId: z.string().uuid() }),
  'repair-rows': z.object({ jobId: z.string().uuid(), chunkId: z.string().uuid() }),
} as const;

export type JobName = keyof typeof jobPayloads;
export type JobPayload<N extends JobName> = z.infer<(typeof jobPayloads)[N]>;

export const isJobName = (name: string): name is JobName => Object.hasOwn(jobPayloads, name);
