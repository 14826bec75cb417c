import { route } from '@/app/_server/route';
import { savePlanSchema } from '@/lib/schemas/plan';
import { createPlan } from '@/lib/plans/save-plan';
import { listPlans } from '@/lib/plans/plan-view';

export const GET = route({ permission: 'read' }, async () => ({ plans: await listPlans() }));

// A plan only groups mappings; it writes nothing until an admin runs it.
export const POST = route({ permission: 'mappings:write', body: savePlanSchema }, async ({ actor, body }) => ({ plan: await createPlan(actor, body) }));
