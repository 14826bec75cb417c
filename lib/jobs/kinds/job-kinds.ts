import type { JobKind } from '../../db/generated/enums';
import type { DefinedJobKind, JobKindDefinition } from './job-kind';
import { migrationKind } from './migration';
import { repairKind } from './repair';
import { replayKind } from './replay';
import { syncKind } from './sync';
import { verifyKind } from './verify';

/**
 * Every kind of job, by name. The mapped type makes a kind without a definition a compile
 * error. To add a kind: write lib/jobs/kinds/<kind>.ts (see job-kind.ts), add its BullMQ
 * names to lib/queue/job-names.ts, and list it here; workers, sweeper, controls, progress
 * and UI pick it up from the definition.
 */
export const jobKinds: { readonly [K in DefinedJobKind]: JobKindDefinition } = {
  migration: migrationKind,
  verify: verifyKind,
  replay: replayKind,
  repair: repairKind,
  sync: syncKind,
};

export const definedJobKinds = Object.values(jobKinds);

/** The definition of a stored job's kind; a kind without one is a deployment mismatch. */
export function jobKindOf(kind: JobKind): JobKindDefinition {
  return jobKinds[kind];
}
