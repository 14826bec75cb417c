import type { Job } from 'bullmq';
import type { JobName } from '@/lib/queue/job-names';
import { copyChunk } from './processors/copy-chunk';
import { planMigration } from './processors/plan-migration';
import { replayChunk } from './processors/replay-chunk';

export interface ProcessorContext {
  job: Job;
  token?: string;
  workerId: string;
}

export type Processor = (context: ProcessorContext) => Promise<unknown>;

/** Job name → processor; each validates its own payload. */
const processors: Record<JobName, Processor> = {
  'plan-migration': planMigration,
  'copy-chunk': copyChunk,
  'replay-chunk': replayChunk,
};

export function processorFor(name: string): Processor | undefined {
  return Object.hasOwn(processors, name) ? processors[name as JobName] : undefined;
}
