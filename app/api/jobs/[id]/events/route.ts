import { idParams, route } from '@/app/_server/route';
import { listJobEvents } from '@/lib/jobs/error-rows';

export const GET = route({ permission: 'read', params: idParams }, async ({ params }) => ({ events: await listJobEvents(params.id) }));
