import { z } from 'zod';
import { requiredText, transformSchema } from './mapping-transform';

export * from './mapping-transform';

/**
 * A mapping as analysts build it in the visual mapper and as it is stored (one
 * MappingVersion.spec). Transforms are data, never code: nothing here is evaluated, and
 * regex patterns are only compiled after they pass validation. Issue messages are
 * phrased to be shown next to the field at their path (e.g. "fields.2.transforms.0.pattern").
 */

const columnName = requiredText('a column name')
  .trim()
  .min(1, 'is required')
  .max(128, 'must be at most 128 characters');

const objectError = (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : 'must be an object');

const tableName = requiredText('a table name').trim().min(1, 'is required').max(255, 'must be at most 255 characters');

const keyColumns = z
  .array(columnName, { error: 'must be a list of column names' })
  .min(1, 'at least one key column is required')
  .max(16, 'at most 16 key columns')
  .superRefine((columns, ctx) => {
    columns.forEach((column, index) => {
      if (columns.indexOf(column) !== index) {
        ctx.addIssue({ code: 'custom', path: [index], message: `column "${column}" is listed twice` });
      }
    });
  });

// ---- fields, source, target -----------------------------------------------------------

const mappingId = requiredText('a mapping id').uuid('must be a valid mapping id');

/**
 * A reference field: the target value is the target record id of the record that the
 * field's source columns point to in another mapping (the parent), not a source value.
 * `id_map`: through the parent's id map (source key → the parent target's primary key,
 * recorded as the parent writes, generated ids included); the field's sources are the
 * columns holding the parent's source key, in its key order. `target_column`: through a
 * column of the parent's target table that keeps the legacy id (external-id style); the
 * value found there is the parent target's primary key.
 */
export const fieldReferenceSchema = z.discriminatedUnion(
  'by',
  [
    z.object({ by: z.literal('id_map'), mapping: mappingId }),
    z.object({ by: z.literal('target_column'), mapping: mappingId, column: columnName }),
  ],
  { error: 'by must be one of id_map, target_column' },
);
export type FieldReference = z.infer<typeof fieldReferenceSchema>;

export const fieldMappingSchema = z
  .object({
    target: columnName,
    /** Source columns feeding the field; without concat the first non-null one is used. */
    sources: z.array(columnName).max(20, 'at most 20 source columns').default([]),
    transforms: z.array(transformSchema).max(50, 'at most 50 transforms').default([]),
    reference: fieldReferenceSchema.optional(),
  })
  .superRefine((field, ctx) => {
    if (field.reference !== undefined) {
      if (field.sources.length === 0) ctx.addIssue({ code: 'custom', path: ['sources'], message: 'a reference needs the source columns that hold the parent key' });
      if (field.transforms.length > 0) ctx.addIssue({ code: 'custom', path: ['transforms'], message: 'a reference field takes its source columns as they are: remove its transforms' });
      if (field.reference.by === 'target_column' && field.sources.length !== 1) {
        ctx.addIssue({ code: 'custom', path: ['sources'], message: 'a reference through a target column takes one source column' });
      }
    }
    const concats = field.transforms.flatMap((transform, index) => (transform.op === 'concat' ? [index] : []));
    for (const index of concats.slice(1)) {
      ctx.addIssue({ code: 'custom', path: ['transforms', index], message: 'a field can have only one concat' });
    }
  });
export type FieldMapping = z.infer<typeof fieldMappingSchema>;

export const filterOps = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'is_null', 'not_null', 'like'] as const;
export type FilterOp = (typeof filterOps)[number];

export const sourceFilterSchema = z
  .object({
    column: columnName,
    op: z.enum(filterOps, { error: `must be one of ${filterOps.join(', ')}` }),
    value: z.union([z.string().max(10_000), z.number(), z.boolean()], { error: 'must be text, a number or true/false' }).optional(),
  })
  .superRefine((filter, ctx) => {
    const needsValue = filter.op !== 'is_null' && filter.op !== 'not_null';
    if (needsValue && filter.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `is required for ${filter.op}` });
    } else if (!needsValue && filter.value !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `must be empty for ${filter.op}` });
    } else if (filter.op === 'like' && typeof filter.value !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'must be a text pattern for like (% and _ are wildcards)' });
    }
  });
export type SourceFilter = z.infer<typeof sourceFilterSchema>;

export const duplicatePolicySchema = z.discriminatedUnion(
  'mode',
  [
    z.object({ mode: z.literal('error') }),
    z.object({ mode: z.literal('first_wins') }),
    /** The source row with the greatest orderBy value wins. */
    z.object({ mode: z.literal('last_wins'), orderBy: columnName }),
  ],
  { error: 'mode must be one of error, first_wins, last_wins' },
);
export type DuplicatePolicy = z.infer<typeof duplicatePolicySchema>;

export const writeModes = ['upsert', 'insert', 'update'] as const;

export const mappingSpecSchema = z
  .object({
    source: z.object(
      {
        table: tableName,
        /** Unique, ordered key used to chunk and page through the source. */
        key: keyColumns,
        /** All filters must match (AND). */
        filter: z.array(sourceFilterSchema).max(50, 'at most 50 filters').default([]),
      },
      { error: objectError },
    ),
    target: z.object(
      {
        table: tableName,
        /** Conflict target for idempotent upserts: must be mapped and unique in the target. */
        key: keyColumns,
      },
      { error: objectError },
    ),
    writeMode: z.enum(writeModes, { error: `must be one of ${writeModes.join(', ')}` }).default('upsert'),
    duplicatePolicy: duplicatePolicySchema.default({ mode: 'error' }),
    fields: z
      .array(fieldMappingSchema, {
        error: (issue) => (issue.input === undefined ? 'map at least one field' : 'must be a list of field mappings'),
      })
      .min(1, 'map at least one field')
      .max(500, 'at most 500 fields')
      // Runs even when other fields have errors, so duplicates show up in the same round.
      .superRefine(reportDuplicateTargets, { when: (payload) => Array.isArray(payload.value) }),
  });

function reportDuplicateTargets(fields: readonly unknown[], ctx: z.RefinementCtx): void {
  const firstIndexByTarget = new Map<string, number>();
  fields.forEach((field, index) => {
    const target = typeof field === 'object' && field !== null && 'target' in field ? field.target : undefined;
    if (typeof target !== 'string') return;
    const first = firstIndexByTarget.get(target);
    if (first === undefined) {
      firstIndexByTarget.set(target, index);
    } else {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'target'],
        message: `column "${target}" is already mapped by field ${first + 1}`,
      });
    }
  });
}

export type MappingSpec = z.infer<typeof mappingSpecSchema>;
/** What the editor may submit: defaults (writeMode, duplicatePolicy, filter…) optional. */
export type MappingSpecInput = z.input<typeof mappingSpecSchema>;

/** Issues as path strings ("fields.2.transforms.0.pattern"), the form the UI and API show. */
export function mappingSpecIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}
