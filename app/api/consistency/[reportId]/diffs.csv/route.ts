import { csvResponse } from '@/app/_server/csv-response';
import { route } from '@/app/_server/route';
import { diffsCsv } from '@/lib/consistency/diffs-csv';
import { diffQuerySchema } from '@/lib/schemas/consistency';
import { reportParams } from '../../report-params';

const csvQuery = diffQuerySchema.pick({ kind: true, key: true });

export const GET = route({ permission: 'read', params: reportParams, query: csvQuery }, async ({ params, query }) => {
  const lines = diffsCsv(params.reportId, query);
  // The first chunk checks that the report exists, so an unknown report is still a 404.
  const first = await lines.next();
  return csvResponse(lines, `ferry-consistency-${params.reportId}-differences.csv`, first);
});
