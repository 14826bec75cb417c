import { csvResponse } from '@/app/_server/csv-response';
import { idParams, route } from '@/app/_server/route';
import { errorRowFilterSchema } from '@/lib/jobs/error-rows';
import { errorRowsCsv } from '@/lib/jobs/error-rows-csv';
import { getJobProgress } from '@/lib/jobs/job-progress';

export const GET = route({ permission: 'read', params: idParams, query: errorRowFilterSchema }, async ({ params, query }) => {
  await getJobProgress(params.id);
  return csvResponse(errorRowsCsv(params.id, query), `ferry-job-${params.id}-errors.csv`);
});
