import { idParams, route } from '@/app/_server/route';
import { getJobProgress } from '@/lib/jobs/job-progress';

export const GET = route({ permission: 'read', params: idParams }, async ({ params }) => ({ job: await getJobProgress(params.id) }));
