import { idParams, route } from '@/app/_server/route';
import { errorRowFilterSchema, listErrorRows } from '@/lib/jobs/error-rows';
import { getJobProgress } from '@/lib/jobs/job-progress';

export const GET = route({ permission: 'read', params: idParams, query: errorRowFilterSchema }, async ({ params, query }) => {
  await getJobProgress(params.id);
  return listErrorRows(params.id, query);
});
