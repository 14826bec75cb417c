import { z } from 'zod';
import { route } from '@/app/_server/route';
import { listJobs } from '@/lib/jobs/job-progress';
import { startMigration } from '@/lib/jobs/start-migration';
import { startMigrationSchema } from '@/lib/schemas/job-request';

const query = z.object({ mappingId: z.string().uuid().optional(), take: z.coerce.number().int().min(1).max(200).optional() });

export const GET = route({ permission: 'read', query }, async ({ query }) => ({ jobs: await listJobs(query) }));

export const POST = route({ permission: 'jobs:control', body: startMigrationSchema }, async ({ actor, body }) => ({
  job: await startMigration(actor, body),
}));
