import { z } from 'zod';
import { mappingSpecSchema } from './mapping-spec';

const keysSchema = z
  .array(z.array(z.union([z.string(), z.number()], { error: 'must be text or a number' }), { error: 'must be a list of key values' }), {
    error: 'must be a list of source keys, e.g. [[42], [43]]',
  })
  .max(100, 'at most 100 keys');

/**
 * POST /api/mappings/preview: either a saved version (`mappingId` and `version`: what every
 * role may preview) or a spec with its two connections (a draft: needs mappings:write,
 * since it may read any column of any table those connections reach). Then the first
 * `limit` rows of the source, or the rows with the given `keys` (one value per source key
 * column). One object rather than a union so that a mistake is reported on its field.
 */
export const previewRequestSchema = z
  .object({
    mappingId: z.string({ error: 'must be a mapping id' }).uuid('must be a valid id').optional(),
    version: z.number({ error: 'must be a version number' }).int('must be a whole number').min(1, 'must be 1 or more').optional(),
    sourceConnectionId: z.string({ error: 'choose a source connection' }).uuid('choose a source connection').optional(),
    targetConnectionId: z.string({ error: 'choose a target connection' }).uuid('choose a target connection').optional(),
    spec: mappingSpecSchema.optional(),
    keys: keysSchema.optional(),
    limit: z.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be 1–100').max(100, 'must be 1–100').default(20),
  })
  .superRefine((request, ctx) => {
    const saved = request.mappingId !== undefined || request.version !== undefined;
    const draft = request.spec !== undefined || request.sourceConnectionId !== undefined || request.targetConnectionId !== undefined;
    const require = (field: keyof typeof request, message: string) => {
      if (request[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message });
    };
    if (saved && draft) {
      ctx.addIssue({ code: 'custom', path: ['spec'], message: 'give either a saved version (mappingId and version) or a spec with its connections, not both' });
    } else if (saved) {
      require('mappingId', 'is required with version');
      require('version', 'is required with mappingId');
    } else {
      require('sourceConnectionId', 'choose a source connection');
      require('targetConnectionId', 'choose a target connection');
      require('spec', 'is required (or name a saved version with mappingId and version)');
    }
    const columns = request.spec?.source.key;
    if (columns === undefined) return;
    request.keys?.forEach((key, index) => {
      if (key.length !== columns.length) {
        ctx.addIssue({ code: 'custom', path: ['keys', index], message: `must have ${columns.length} value${columns.length === 1 ? '' : 's'}, one per key column (${columns.join(', ')})` });
      }
    });
  });
export type PreviewRequest = z.infer<typeof previewRequestSchema>;

export interface SavedVersionPreviewRequest {
  mappingId: string;
  version: number;
  keys?: (string | number)[][];
  limit: number;
}

/** One problem of one previewed row: the error row the run would record for it. */
export const previewRowErrorSchema = z.object({
  stage: z.enum(['read', 'transform', 'validate', 'write']),
  /** The target column(s), comma-separated; '' when the error concerns the whole row. */
  field: z.string(),
  code: z.string(),
  message: z.string(),
});
export type PreviewRowError = z.infer<typeof previewRowErrorSchema>;

/**
 * Whether the preview's writes were tried against the target (in a transaction rolled back
 * afterwards). Anything but `checked` or `not_needed` means write errors may be missing.
 */
export const writeCheckStatuses = ['checked', 'not_needed', 'locked', 'timed_out', 'failed', 'unsupported'] as const;
export const writeCheckSchema = z.object({
  status: z.enum(writeCheckStatuses),
  message: z.string(),
});
export type WriteCheck = z.infer<typeof writeCheckSchema>;

export const previewRowSchema = z.object({
  sourceKey: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])),
  source: z.record(z.string(), z.unknown()),
  /** The mapped values, or null when the mapping failed. */
  target: z.record(z.string(), z.unknown()).nullable(),
  errors: z.array(previewRowErrorSchema),
});
export type PreviewRow = z.infer<typeof previewRowSchema>;

/** POST /api/mappings/preview answers `{ preview: MappingPreview }`. */
export const mappingPreviewSchema = z.object({
  targetColumns: z.array(z.string()),
  writeCheck: writeCheckSchema,
  rows: z.array(previewRowSchema),
});
export type MappingPreview = z.infer<typeof mappingPreviewSchema>;
