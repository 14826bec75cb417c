import { z } from 'zod';
import { mappingSpecSchema } from './mapping-spec';

export const createMappingSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  sourceConnectionId: z.string().uuid('choose a source connection'),
  targetConnectionId: z.string().uuid('choose a target connection'),
  spec: mappingSpecSchema,
  comment: z.string().max(500).optional(),
});
export type CreateMappingRequest = z.infer<typeof createMappingSchema>;

export const saveMappingVersionSchema = z.object({
  spec: mappingSpecSchema,
  comment: z.string().max(500).optional(),
});
export type SaveMappingVersionRequest = z.infer<typeof saveMappingVersionSchema>;

/** Check without saving (POST /api/mappings/check): the errors a save would refuse and the warnings. */
export const checkMappingSchema = createMappingSchema.pick({ sourceConnectionId: true, targetConnectionId: true, spec: true });
export type CheckMappingRequest = z.infer<typeof checkMappingSchema>;

/** Preview: the first rows of the source, or the rows with the given keys. */
export const previewMappingSchema = z
  .object({
    sourceConnectionId: z.string().uuid('choose a source connection'),
    targetConnectionId: z.string().uuid('choose a target connection'),
    spec: mappingSpecSchema,
    /** Source key tuples, one value per source key column, e.g. [[42], [43]]. */
    keys: z.array(z.array(z.union([z.string(), z.number()]))).max(100).optional(),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .superRefine((request, ctx) => {
    const columns = request.spec.source.key;
    request.keys?.forEach((key, index) => {
      if (key.length !== columns.length) {
        ctx.addIssue({ code: 'custom', path: ['keys', index], message: `must have ${columns.length} value${columns.length === 1 ? '' : 's'}, one per key column (${columns.join(', ')})` });
      }
    });
  });
export type PreviewMappingRequest = z.infer<typeof previewMappingSchema>;
