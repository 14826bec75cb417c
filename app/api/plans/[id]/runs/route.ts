import { idParams, route } from '@/app/_server/route';
import { startPlanRunSchema } from '@/lib/schemas/plan';
import { startPlanRun } from '@/lib/plans/start-plan-run';

// Running a plan starts migrations that write to the targets: an admin's decision.
export const POST = route({ permission: 'jobs:control', params: idParams, body: startPlanRunSchema }, async ({ actor, params, body }) => ({
  run: await startPlanRun(actor, params.id, body),
}));
