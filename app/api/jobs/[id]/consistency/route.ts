import { idParams, route } from '@/app/_server/route';
import { getJobConsistency } from '@/lib/consistency/report-view';

export const GET = route({ permission: 'read', params: idParams }, async ({ params }) => getJobConsistency(params.id));
