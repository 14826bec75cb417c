import { route } from '@/app/_server/route';
import { diffsCsv } from '@/lib/consistency/list-diffs';
import { diffQuerySchema } from '@/lib/schemas/consistency';
import { reportParams } from '../../report-params';

const csvQuery = diffQuerySchema.pick({ kind: true, key: true });

export const GET = route({ permission: 'read', params: reportParams, query: csvQuery }, async ({ params, query }) => {
  const lines = diffsCsv(params.reportId, query);
  // The first chunk checks that the report exists, so an unknown report is still a 404.
  const first = await lines.next();
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (!first.done) controller.enqueue(encoder.encode(first.value));
    },
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="ferry-consistency-${params.reportId}-differences.csv"`,
    },
  });
});
