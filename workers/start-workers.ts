import { Worker, type Job } from 'bullmq';
import { env } from '@/lib/env';
import { FERRY_QUEUE } from '@/lib/queue/queues';
import { workerRedis } from '@/lib/queue/redis';
import { processorFor } from './registry';

export interface WorkerOptions {
  workerId: string;
  concurrency: number;
  lockMs: number;
}

export function startWorkers({ workerId, concurrency, lockMs }: WorkerOptions): Worker[] {
  const worker = new Worker(
    FERRY_QUEUE,
    async (job: Job, token?: string) => {
      const processor = processorFor(job.name);
      if (!processor) {
        // An unknown name is a deployment mismatch, not data: log it and drop it.
        console.error(`[worker ${workerId}] unknown job name "${job.name}" (${job.id}); ignored`);
        return;
      }
      return processor({ job, token, workerId });
    },
    {
      connection: workerRedis(),
      prefix: env().QUEUE_PREFIX,
      concurrency,
      // A chunk whose worker died is picked up again after about this long.
      lockDuration: lockMs,
      stalledInterval: Math.max(1000, Math.floor(lockMs / 2)),
      maxStalledCount: 5,
    },
  );
  worker.on('error', (error) => console.error(`[worker ${workerId}] ${error.message}`));
  worker.on('failed', (job, error) => console.error(`[worker ${workerId}] job ${job?.name} ${job?.id} failed: ${error.message}`));
  return [worker];
}
