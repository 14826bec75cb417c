import { z } from 'zod';
import { MAX_DB_INTEGER, tooLarge } from './db-integer';

/** Escalation when rows fail: keep going, or pause/stop past a count or a share of rows read. */
export const errorPolicySchema = z
  .object({
  action: z.enum(['continue', 'pause', 'stop']).default('continue'),
  maxFailedRows: z.number().int().min(0).optional(),
  maxFailedPercent: z.number().min(0).max(100).optional(),
  })
  .refine((p) => p.action === 'continue' || p.maxFailedRows !== undefined || p.maxFailedPercent !== undefined, {
    message: 'give maxFailedRows or maxFailedPercent for the pause or stop action',
    path: ['maxFailedRows'],
  });
export type ErrorPolicy = z.infer<typeof errorPolicySchema>;

export const jobOptionsSchema = z.object({
  /** Rows per chunk: the unit of parallelism and of retry. */
  chunkRows: z.number().int().min(100, 'must be at least 100').max(5_000_000).default(50_000),
  /** Rows per read and write batch: the unit of checkpointing. */
  batchRows: z.number().int().min(10, 'must be at least 10').max(50_000).default(5_000),
  /** Chunks of this job that may run at once across all workers (0 = as many as workers take). */
  maxParallelChunks: z.number().int().min(0).max(256).default(0),
  /**
   * How long the job waits for a database that is unreachable or refuses its login before
   * it pauses with the cause named (it continues by itself if the database is back sooner).
   * Absent: FERRY_OUTAGE_WAIT_MS, 10 minutes by default.
   */
  waitForDatabaseMinutes: z.number().min(0, 'must be at least 0').max(1440, 'must be at most 1440 (a day)').optional(),
  /** Empty the target table before loading. Never implied: the user must ask for it. */
  fullReload: z.boolean().default(false),
  errorPolicy: errorPolicySchema.default({ action: 'continue' }),
  /**
   * Queue priority of the job's units, 1 first (BullMQ's order; units without one go before
   * any with one). A plan gives the steps on its longest chain of dependents the first turn,
   * so a side branch does not hold every worker while the chain waits.
   */
  priority: z.number().int().min(1, 'must be at least 1').max(1000, 'must be at most 1000').optional(),
});
export type JobOptions = z.infer<typeof jobOptionsSchema>;

export const startMigrationSchema = z.object({
  mappingId: z.string().uuid('must be a valid mapping id'),
  /** Defaults to the mapping's latest version. */
  version: z.number().int().positive().max(MAX_DB_INTEGER, tooLarge).optional(),
  options: jobOptionsSchema.partial().default({}),
  /** Must repeat the target table name when fullReload is set: an explicit confirmation. */
  confirmFullReload: z.string().optional(),
});
export type StartMigrationRequest = z.infer<typeof startMigrationSchema>;

/** A replay's options: only these error rows of the parent job, or (absent) every unresolved one. */
export const replayOptionsSchema = z.object({
  errorRowIds: z.array(z.number().int().positive().max(MAX_DB_INTEGER, tooLarge)).max(10_000).optional(),
});
export type ReplayOptions = z.infer<typeof replayOptionsSchema>;

/** A repair's options: the verification report it repairs, and whether extra target rows go (confirmed when started). */
export const repairOptionsSchema = z.object({
  reportId: z.string().uuid(),
  deleteExtra: z.boolean(),
});
export type RepairOptions = z.infer<typeof repairOptionsSchema>;

/** A verification's settings live with its report; the job row carries none. */
export const verifyOptionsSchema = z.object({});
