import { idParams, route } from '@/app/_server/route';
import { controlPlanRun } from '@/lib/plans/control-plan-run';

export const POST = route({ permission: 'jobs:control', params: idParams }, async ({ actor, params }) => controlPlanRun(actor, params.id, 'pause'));
