import { z } from 'zod';
import { jobOptionsSchema } from './job-request';

const mappingIds = z
  .array(z.string().uuid('must be a valid mapping id'), { error: 'must be a list of mapping ids' })
  .min(1, 'pick at least one mapping')
  .max(50, 'at most 50 mappings')
  .superRefine((ids, ctx) => {
    ids.forEach((id, index) => {
      if (ids.indexOf(id) !== index) ctx.addIssue({ code: 'custom', path: [index], message: 'is listed twice' });
    });
  });

const planName = z.string({ error: 'must be text' }).trim().min(1, 'is required').max(200, 'must be at most 200 characters');

/** A plan: a name and the mappings it migrates together (their order comes from the graph). */
export const savePlanSchema = z.object({ name: planName, mappingIds });
export type SavePlanRequest = z.infer<typeof savePlanSchema>;

/**
 * Starting a plan run: every mapping, or (`rerun`) these mappings and every mapping that
 * depends on them. Options apply to each step's migration; a full reload is not offered
 * here (it empties tables that children point into).
 */
export const startPlanRunSchema = z.object({
  rerun: mappingIds.optional(),
  options: jobOptionsSchema.omit({ fullReload: true }).partial().strict().default({}),
});
export type StartPlanRunRequest = z.infer<typeof startPlanRunSchema>;

export const planRunActionSchema = z.enum(['pause', 'resume', 'cancel']);
export type PlanRunAction = z.infer<typeof planRunActionSchema>;
