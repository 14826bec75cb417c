import { z } from 'zod';

/** Auto-map two tables: their descriptions and a sample of the source's rows rank the proposals. */
export const autoMapRequestSchema = z.object({
  sourceConnectionId: z.string().uuid('choose a source connection'),
  targetConnectionId: z.string().uuid('choose a target connection'),
  sourceTable: z.string().trim().min(1, 'is required').max(255, 'must be at most 255 characters'),
  targetTable: z.string().trim().min(1, 'is required').max(255, 'must be at most 255 characters'),
});
export type AutoMapRequest = z.infer<typeof autoMapRequestSchema>;
