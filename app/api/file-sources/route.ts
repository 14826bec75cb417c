import { route } from '@/app/_server/route';
import { createFileSource } from '@/lib/file-sources/create-file-source';
import { listFileSources } from '@/lib/file-sources/list-file-sources';
import { createFileSourceSchema } from '@/lib/schemas/file-source';

export const GET = route({ permission: 'read' }, async ({ actor }) => ({ fileSources: await listFileSources(actor) }));

export const POST = route({ permission: 'connections:write', body: createFileSourceSchema }, async ({ actor, body }) => ({
  fileSource: await createFileSource(body, actor),
}));
