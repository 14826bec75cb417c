import { Queue, type JobsOptions } from 'bullmq';
import { env } from '../env';
import { FERRY_QUEUE } from './queues';
import { payloadSchemaOf, type JobName, type JobPayload } from './job-names';
import { producerRedis } from './redis';

const globalForQueue = globalThis as unknown as { ferryQueue?: Queue };

export function ferryQueue(): Queue {
  globalForQueue.ferryQueue ??= new Queue(FERRY_QUEUE, { connection: producerRedis(), prefix: env().QUEUE_PREFIX });
  return globalForQueue.ferryQueue;
}

/** Retries with backoff for transient failures (a database restarting, a lost connection). */
export const defaultJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { count: 1000 },
  removeOnFail: { count: 5000 },
};

/** The BullMQ id of a job: its name and what it works on. The one place this format is written. */
export const queueJobId = (name: JobName, dedupeId: string) => `${name}-${dedupeId}`;

/**
 * Enqueues a job whose BullMQ id is derived from the work it does (`dedupeId`), so
 * enqueuing the same chunk twice is harmless. (BullMQ rejects ":" in custom ids.)
 */
export async function enqueue<N extends JobName>(name: N, payload: JobPayload<N>, dedupeId: string, options: JobsOptions = {}) {
  await enqueueMany(name, [{ payload, dedupeId }], options);
}

/** Many jobs of one kind in one round trip (`addBulk`), each with its `dedupeId` as above. */
export async function enqueueMany<N extends JobName>(name: N, items: { payload: JobPayload<N>; dedupeId: string }[], options: JobsOptions = {}) {
  const jobs = items.map(({ payload, dedupeId }) => ({
    name,
    data: payloadSchemaOf(name).parse(payload),
    opts: { ...defaultJobOptions, ...options, jobId: queueJobId(name, dedupeId) },
  }));
  await ferryQueue().addBulk(jobs);
}

export async function closeQueue(): Promise<void> {
  await globalForQueue.ferryQueue?.close();
  globalForQueue.ferryQueue = undefined;
}
