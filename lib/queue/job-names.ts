import { z } from 'zod';

/**
 * Every background job name. A job kind (lib/jobs/kinds/) owns at most one planner name and
 * one unit name. Payloads carry ids only (state lives in PostgreSQL) and have one shape
 * per role: a planner gets its job, a unit job gets its job and unit (a chunk or a range).
 * Validated when enqueued and again when processed.
 */
export const plannerJobNames = ['plan-migration', 'plan-verify'] as const;
export const unitJobNames = ['copy-chunk', 'replay-chunk', 'verify-range', 'repair-rows', 'sync-run'] as const;

export type PlannerJobName = (typeof plannerJobNames)[number];
export type UnitJobName = (typeof unitJobNames)[number];
export type JobName = PlannerJobName | UnitJobName;

export const plannerPayloadSchema = z.object({ jobId: z.string().uuid() });
export const unitPayloadSchema = z.object({ jobId: z.string().uuid(), unitId: z.string().uuid() });
export type PlannerPayload = z.infer<typeof plannerPayloadSchema>;
export type UnitPayload = z.infer<typeof unitPayloadSchema>;

export type JobPayload<N extends JobName> = N extends PlannerJobName ? PlannerPayload : UnitPayload;

export const isPlannerJobName = (name: string): name is PlannerJobName => (plannerJobNames as readonly string[]).includes(name);
export const isJobName = (name: string): name is JobName => isPlannerJobName(name) || (unitJobNames as readonly string[]).includes(name);

export function payloadSchemaOf(name: JobName): z.ZodType<PlannerPayload | UnitPayload> {
  return isPlannerJobName(name) ? plannerPayloadSchema : unitPayloadSchema;
}
