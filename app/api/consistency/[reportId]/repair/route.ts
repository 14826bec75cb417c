import { route } from '@/app/_server/route';
import { startRepair } from '@/lib/jobs/start-repair';
import { startRepairSchema } from '@/lib/schemas/consistency';
import { reportParams } from '../../report-params';

export const POST = route({ permission: 'jobs:control', params: reportParams, body: startRepairSchema }, async ({ actor, params, body }) => ({
  job: await startRepair(actor, params.reportId, body),
}));
