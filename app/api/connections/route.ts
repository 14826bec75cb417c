import { route } from '@/app/_server/route';
import { listConnections } from '@/lib/saved-connections/list-connections';
import { createConnection } from '@/lib/saved-connections/save-connection';
import { connectionConfigSchema } from '@/lib/schemas/connection-config';

export const GET = route({ permission: 'read' }, async () => ({ connections: await listConnections() }));

export const POST = route({ permission: 'connections:write', body: connectionConfigSchema }, async ({ actor, body }) => ({
  connection: await createConnection(actor, body),
}));
