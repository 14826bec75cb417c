import { route } from '@/app/_server/route';
import { previewMapping } from '@/lib/saved-mappings/preview-mapping';
import { previewMappingSchema } from '@/lib/schemas/mapping-request';

export const POST = route({ permission: 'read', body: previewMappingSchema }, async ({ body }) => ({ preview: await previewMapping(body) }));
