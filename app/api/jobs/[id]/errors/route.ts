import { idParams, route } from '@/app/_server/route';
import { errorRowFilterSchema, listErrorRows } from '@/lib/jobs/error-rows';
import { getJobProgress } from '@/lib/jobs/job-progress';
import { withPlanLinks } from '@/lib/plans/error-row-plan-links';

export const GET = route({ permission: 'read', params: idParams, query: errorRowFilterSchema }, async ({ params, query }) => {
  await getJobProgress(params.id);
  const page = await listErrorRows(params.id, query);
  // An orphan names the parent row it waits for; a parent row says how many wait for it.
  return { ...page, rows: await withPlanLinks(page.rows) };
});
