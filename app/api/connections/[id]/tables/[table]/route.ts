import { z } from 'zod';
import { route } from '@/app/_server/route';
import { describeTable } from '@/lib/saved-connections/browse-schema';

const params = z.object({ id: z.string().uuid('must be a valid id'), table: z.string().min(1).max(128) });

// Next.js hands the table name over decoded already (a second decode broke names with '%').
export const GET = route({ permission: 'read', params }, async ({ params }) => ({
  table: await describeTable(params.id, params.table),
}));
