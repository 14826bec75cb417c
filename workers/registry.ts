import type { Job } from 'bullmq';

export interface ProcessorContext {
  job: Job;
  token?: string;
  workerId: string;
}

export type Processor = (context: ProcessorContext) => Promise<unknown>;

/** Job name → processor. Each processor validates its own payload with zod. */
const processors: Record<string, Processor> = {};

export function processorFor(name: string): Processor | undefined {
  return Object.hasOwn(processors, name) ? processors[name] : undefined;
}
