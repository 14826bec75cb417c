import { z } from 'zod';
import { MAX_DB_INTEGER, tooLarge } from './db-integer';

/**
 * Consistency verification: what a verify run compares and how, and what the API
 * returns about it. A record is (key, normalized content); the score is
 * C = matched / (matched + 2·different + missing + extra).
 */

/** How one target column is normalized before source and target values are compared. */
export const columnNormalizationSchema = z.object({
  /** Leave the column out of the comparison entirely. */
  exclude: z.boolean().default(false),
  /** Numbers within this absolute difference are equal (floats, decimals). */
  tolerance: z.number({ error: 'must be a number' }).min(0, 'must be 0 or more').optional(),
  /** Timestamps are compared in UTC, truncated to this precision. */
  timestampPrecision: z.enum(['s', 'ms', 'us'], { error: 'must be one of s, ms, us' }).optional(),
  /** Decimals are rounded to this many digits after the point. */
  decimalScale: z.number().int('must be a whole number').min(0).max(30, 'must be at most 30').optional(),
  /** Leading and trailing white space is ignored. */
  trim: z.boolean().optional(),
  /** An empty string counts as NULL. Off by default: NULL and '' are different values. */
  emptyAsNull: z.boolean().optional(),
  /** Text is compared without regard to letter case. */
  caseInsensitive: z.boolean().optional(),
});
export type ColumnNormalization = z.infer<typeof columnNormalizationSchema>;

/** Saved per mapping; used by automatic verification after every run and by default on demand. */
export const verifySettingsSchema = z.object({
  /** Target column name → its normalization. Columns not listed use defaults from their type. */
  columns: z.record(z.string().min(1), columnNormalizationSchema).default({}),
  /** Rows per verify range: the unit of parallel work. */
  rangeRows: z.number().int().min(1_000, 'must be at least 1000').max(5_000_000).default(100_000),
  /** Verify automatically when a migration (or a sync cycle) of this mapping finishes. */
  autoVerify: z.boolean().default(true),
});
export type VerifySettings = z.infer<typeof verifySettingsSchema>;

/** POST /api/mappings/[id]/verify */
export const startVerifySchema = z.object({
  /** Defaults to the mapping's latest version. */
  version: z.number().int().positive().max(MAX_DB_INTEGER, tooLarge).optional(),
  /** Overrides the mapping's saved settings for this run only. */
  settings: verifySettingsSchema.partial().optional(),
});
export type StartVerifyRequest = z.infer<typeof startVerifySchema>;

/** POST /api/consistency/[reportId]/repair */
export const startRepairSchema = z
  .object({
    /** Also delete target rows whose key the source does not have. */
    deleteExtra: z.boolean().default(false),
    /** Must repeat the target table's name when deleteExtra is set: an explicit confirmation. */
    confirmDeleteExtra: z.string().optional(),
  });
export type StartRepairRequest = z.infer<typeof startRepairSchema>;

export const diffKinds = ['different', 'missing', 'extra', 'null_key', 'duplicate_key'] as const;
export type DiffKindName = (typeof diffKinds)[number];

/** GET /api/consistency/[reportId]/diffs query */
export const diffQuerySchema = z.object({
  kind: z.enum(diffKinds, { error: `must be one of ${diffKinds.join(', ')}` }).optional(),
  /** Key text contains this. */
  key: z.string().max(500).optional(),
  /** Diff id to continue after (keyset paging). */
  after: z.coerce.number().int().min(0).max(MAX_DB_INTEGER, tooLarge).optional(),
  take: z.coerce.number().int().min(1).max(1000).default(100),
});
export type DiffQuery = z.infer<typeof diffQuerySchema>;

// ---- what the API returns ---------------------------------------------------------------

export type VerifyMethod = 'hash_ranges' | 'key_merge' | 'mixed';

/** A run's (or one range's) records per category; NULL and duplicate keys stay outside the score. */
export interface ConsistencyCounts {
  matched: number;
  different: number;
  missing: number;
  extra: number;
  nullKeys: number;
  duplicateKeys: number;
}

export interface ConsistencyReportView extends ConsistencyCounts {
  id: string;
  /** The verify job that produced the report. */
  jobId: string;
  /** The migration/sync/repair job whose end triggered it, if any. */
  triggeredByJobId: string | null;
  mappingId: string;
  mappingVersion: number;
  /** Status of the verify job (queued, running, completed, failed, cancelled …). */
  status: string;
  method: VerifyMethod | null;
  /** 0..1; null until the run has finished. */
  score: number | null;
  rangesTotal: number;
  rangesDone: number;
  /** Differences kept for drill-down (at most 1,000 per kind in the UI; all of them in the CSV). */
  differencesStored: number;
  createdAt: string;
  finishedAt: string | null;
}

export interface FieldDifference {
  field: string;
  source: unknown;
  target: unknown;
}

export interface ConsistencyDiffView {
  id: number;
  kind: DiffKindName;
  key: unknown[];
  keyText: string;
  /** For `different`: the fields that differ after normalization. */
  fields: FieldDifference[] | null;
  /** The source row after mapping (different, missing, null_key, duplicate_key). */
  sourceRow: Record<string, unknown> | null;
  targetRow: Record<string, unknown> | null;
  /** A missing row that is a recorded error row links to it. */
  /** `sourceKeyText` is the error row's own key text: the job page searches its error rows by it. */
  errorRow: { id: number; jobId: string; sourceKeyText: string; code: string; message: string } | null;
}

export interface ScorePoint {
  reportId: string;
  jobId: string;
  mappingVersion: number;
  score: number;
  matched: number;
  different: number;
  missing: number;
  extra: number;
  finishedAt: string;
}

/** GET /api/mappings/[id]/consistency */
export interface MappingConsistencyView {
  latest: ConsistencyReportView | null;
  /** Finished runs, oldest first (at most the last 100). */
  history: ScorePoint[];
  settings: VerifySettings;
  /** Target columns with the normalization that applies (saved or defaulted from the type). */
  columns: { name: string; family: string; normalization: ColumnNormalization; isKey: boolean }[];
}
