import { route } from '@/app/_server/route';
import { previewMapping } from '@/lib/saved-mappings/preview-mapping';
import { previewMappingSchema } from '@/lib/schemas/mapping-request';

// Viewers may preview: its write check uses the target connection's own rights, as the run
// does, inside a transaction that is always rolled back, so it never keeps anything.
export const POST = route({ permission: 'read', body: previewMappingSchema }, async ({ body }) => ({ preview: await previewMapping(body) }));
