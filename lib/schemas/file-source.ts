import { z } from 'zod';
import { CSV_COLUMN_TYPES, CSV_ENCODINGS, csvShapeSchema } from '../connectors/csv/csv-shape';
import { firstControlCharacter } from './connection-config';

const withoutControlCharacters = (value: string) => firstControlCharacter(value) === null;
const noControlMessage = 'must not contain control characters such as line breaks or tabs';

/** The name mappings read a file by: a plain identifier, so it needs no quoting anywhere it is used. */
export const sourceTableNameSchema = z
  .string({ error: 'must be text' })
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]{0,62}$/,
    'must start with a letter or _ and hold only letters, digits and _ (at most 63 characters), e.g. customers_2024',
  );

export const createFileSourceSchema = z.object({
  name: z.string({ error: 'must be text' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters').refine(withoutControlCharacters, noControlMessage),
});
export type CreateFileSourceRequest = z.infer<typeof createFileSourceSchema>;

/** Starting an upload: the file's size is declared first, so the server can refuse it before any byte. */
export const createUploadSchema = z.object({
  tableName: sourceTableNameSchema,
  originalName: z.string({ error: 'must be text' }).trim().min(1, 'is required').max(255, 'must be at most 255 characters').refine(withoutControlCharacters, noControlMessage),
  bytes: z.number({ error: 'must be a number of bytes' }).int('must be a whole number of bytes').min(1, 'the file is empty').max(Number.MAX_SAFE_INTEGER),
});
export type CreateUploadRequest = z.infer<typeof createUploadSchema>;

/** `?offset=N` of a chunk: where its bytes go, which must be the bytes received so far. */
export const uploadChunkQuerySchema = z.object({
  offset: z
    .string({ error: 'is required (the number of bytes already received)' })
    .regex(/^\d{1,15}$/, 'must be a whole number of bytes')
    .transform(Number),
});

export const registerSourceFileSchema = z.object({
  path: z.string({ error: 'must be text' }).min(1, 'is required').max(4096, 'must be at most 4096 characters').refine(withoutControlCharacters, noControlMessage),
  tableName: sourceTableNameSchema,
});
export type RegisterSourceFileRequest = z.infer<typeof registerSourceFileSchema>;

/** One column's choices the analyst may make; null leaves that column as detected. */
export const csvColumnOverrideSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(255, 'must be at most 255 characters'),
    type: z.enum(CSV_COLUMN_TYPES),
    format: z.string().max(64, 'must be at most 64 characters'),
    nullable: z.boolean(),
  })
  .partial()
  .strict();
export type CsvColumnOverride = z.infer<typeof csvColumnOverrideSchema>;

const lineBreakOrNul = /[\r\n\u0000]/;

/** Delimiter, quote and escape that can split a file into records: no line breaks, the quote never inside the delimiter. */
function checkDialect(shape: { delimiter?: string; quote?: string; escape?: string }, ctx: z.RefinementCtx): void {
  for (const field of ['delimiter', 'quote', 'escape'] as const) {
    const value = shape[field];
    if (value !== undefined && lineBreakOrNul.test(value)) ctx.addIssue({ code: 'custom', path: [field], message: 'must not contain a line break' });
  }
  if (shape.delimiter !== undefined && shape.quote !== undefined && shape.delimiter.includes(shape.quote)) {
    ctx.addIssue({ code: 'custom', path: ['quote'], message: 'must differ from the delimiter' });
  }
}

/** The analyst's choices for re-detecting a file's shape; anything left out is detected. */
export const csvShapeOverridesSchema = z
  .object({
    encoding: z.enum(CSV_ENCODINGS),
    bom: z.boolean(),
    delimiter: csvShapeSchema.shape.delimiter,
    quote: csvShapeSchema.shape.quote,
    escape: csvShapeSchema.shape.escape,
    headerRow: csvShapeSchema.shape.headerRow,
    columns: z.array(csvColumnOverrideSchema.nullable()).max(2000, 'at most 2000 columns'),
  })
  .partial()
  .strict()
  .superRefine(checkDialect);
export type CsvShapeOverrides = z.infer<typeof csvShapeOverridesSchema>;

export const previewShapeSchema = z.object({ overrides: csvShapeOverridesSchema.default({}) });

export const confirmShapeSchema = z.object({
  shape: csvShapeSchema.extend({ columns: csvShapeSchema.shape.columns.min(1, 'at least one column').max(2000, 'at most 2000 columns') }).superRefine(checkDialect),
});
export type ConfirmShapeRequest = z.infer<typeof confirmShapeSchema>;

export const sourceFileStatuses = ['uploading', 'uploaded', 'ready', 'replaced'] as const;
export type SourceFileStatus = (typeof sourceFileStatuses)[number];

/** One version of a file, as the API shows it. */
export interface SourceFileView {
  id: string;
  connectionId: string;
  tableName: string;
  version: number;
  originalName: string;
  bytes: number;
  receivedBytes: number;
  status: SourceFileStatus;
  createdAt: string;
  confirmedAt: string | null;
  uploadedBy: { name: string; email: string } | null;
  /** The version the table reads now (status ready). */
  current: boolean;
  /** Registered by path: the file was not copied. */
  registered: boolean;
  /** Only for admins, and only for a registered file: where it lies on the server. */
  path?: string;
}

export interface FileSourceView {
  id: string;
  name: string;
  createdAt: string;
  /** Every version of every table: by table name, newest version first within a table. */
  files: SourceFileView[];
}

/** The answer to a chunk: how far the upload is. */
export interface UploadProgress {
  receivedBytes: number;
  status: SourceFileStatus;
}
