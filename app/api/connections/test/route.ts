import { z } from 'zod';
import { route } from '@/app/_server/route';
import { testConnectionConfig } from '@/lib/saved-connections/test-connection';
import { connectionConfigSchema } from '@/lib/schemas/connection-config';

// Tests the form's values before saving; `id` lets an edit reuse the stored password.
const body = connectionConfigSchema.extend({ id: z.string().uuid().optional() });

export const POST = route({ permission: 'connections:write', body }, async ({ body }) => {
  const { id, ...config } = body;
  return { result: await testConnectionConfig(config, id) };
});
