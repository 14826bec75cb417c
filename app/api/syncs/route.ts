import { z } from 'zod';
import { route } from '@/app/_server/route';
import { createSyncSchema } from '@/lib/schemas/sync-settings';
import { createSync } from '@/lib/sync/save-sync';
import { listSyncs } from '@/lib/sync/sync-view';

const query = z.object({ mappingId: z.string().uuid('must be a valid mapping id').optional() });

export const GET = route({ permission: 'read', query }, async ({ query }) => ({ syncs: await listSyncs(query) }));

// Configuring a sync writes nothing to a target: analysts may; starting it is an admin's (jobs:control).
export const POST = route({ permission: 'mappings:write', body: createSyncSchema }, async ({ actor, body }) => {
  const sync = await createSync(actor, body);
  return { sync: { id: sync.id } };
});
