import { dropConnectionsAfterTimeout } from '@/lib/engine/connector-cache';
import type { JobKindDefinition } from '@/lib/jobs/kinds/job-kind';
import { runUnit } from '@/lib/jobs/units/run-unit';
import { unitPayloadSchema } from '@/lib/queue/job-names';
import type { Processor } from '../registry';
import { isShuttingDown, workerSettings } from '../worker-settings';

/** A kind's unit job: parse the payload, run the unit's lifecycle (lib/jobs/units/run-unit.ts) with this process's settings. */
export const runUnitJob =
  (definition: JobKindDefinition): Processor =>
  async ({ job, workerId }) => {
    const { jobId, unitId } = unitPayloadSchema.parse(job.data);
    return runUnit(definition, {
      jobId,
      unitId,
      workerId,
      attemptsMade: job.attemptsMade,
      maxAttempts: job.opts.attempts ?? 1,
      lockMs: workerSettings.lockMs,
      isShuttingDown,
      onError: dropConnectionsAfterTimeout,
    });
  };
