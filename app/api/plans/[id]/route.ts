import { z } from 'zod';
import { idParams, route } from '@/app/_server/route';
import { savePlanSchema } from '@/lib/schemas/plan';
import { deletePlan, updatePlan } from '@/lib/plans/save-plan';
import { getPlanView } from '@/lib/plans/plan-view';

/** `run`: a past run to show instead of the latest. */
const query = z.object({ run: z.string().uuid('must be a valid plan run id').optional() });

export const GET = route({ permission: 'read', params: idParams, query }, async ({ params, query }) => ({ plan: await getPlanView(params.id, query.run) }));

export const PUT = route({ permission: 'mappings:write', params: idParams, body: savePlanSchema }, async ({ actor, params, body }) => ({
  plan: await updatePlan(actor, params.id, body),
}));

export const DELETE = route({ permission: 'mappings:write', params: idParams }, async ({ actor, params }) => {
  await deletePlan(actor, params.id);
  return { ok: true };
});
