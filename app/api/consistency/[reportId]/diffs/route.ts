import { route } from '@/app/_server/route';
import { listDiffs } from '@/lib/consistency/list-diffs';
import { diffQuerySchema } from '@/lib/schemas/consistency';
import { reportParams } from '../../report-params';

export const GET = route({ permission: 'read', params: reportParams, query: diffQuerySchema }, async ({ params, query }) => listDiffs(params.reportId, query));
