import { idParams, route } from '@/app/_server/route';
import { resumeJob } from '@/lib/jobs/control-job';

export const POST = route({ permission: 'jobs:control', params: idParams }, async ({ actor, params }) => ({
  status: await resumeJob(actor, params.id),
}));
