import type { Job } from 'bullmq';
import type { JobName } from '@/lib/queue/job-names';
import { copyChunk } from './processors/copy-chunk';
import { planMigration } from './processors/plan-migration';
import { planVerify } from './processors/plan-verify';
import { repairRows } from './processors/repair-rows';
import { replayChunk } from './processors/replay-chunk';
import { verifyRange } from './processors/verify-range';

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
  'plan-verify': planVerify,
  'verify-range': verifyRange,
  'repair-rows': repairRows,
};

export function processorFor(name: string): Processor | undefined {
  return Object.hasOwn(processors, name) ? processors[name as JobName] : undefined;
}
