import { z } from 'zod';

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
