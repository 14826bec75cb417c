import { route } from '@/app/_server/route';
import { autoMapTables } from '@/lib/saved-mappings/auto-map-tables';
import { autoMapRequestSchema } from '@/lib/schemas/auto-map-request';

export const POST = route({ permission: 'mappings:write', body: autoMapRequestSchema }, async ({ body }) => autoMapTables(body));
