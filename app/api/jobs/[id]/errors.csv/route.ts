import { idParams, route } from '@/app/_server/route';
import { errorRowFilterSchema } from '@/lib/jobs/error-rows';
import { errorRowsCsv } from '@/lib/jobs/error-rows-csv';
import { getJobProgress } from '@/lib/jobs/job-progress';

export const GET = route({ permission: 'read', params: idParams, query: errorRowFilterSchema }, async ({ params, query }) => {
  await getJobProgress(params.id);
  const lines = errorRowsCsv(params.id, query);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="ferry-job-${params.id}-errors.csv"`,
    },
  });
});
