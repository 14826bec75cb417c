import { idParams, route } from '@/app/_server/route';
import { getMappingConsistency } from '@/lib/consistency/report-view';

export const GET = route({ permission: 'read', params: idParams }, async ({ params }) => getMappingConsistency(params.id));
