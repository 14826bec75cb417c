import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { binlogCheckpointSchema } from '../connectors/mysql/binlog/checkpoint';

const isZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** A cron pattern BullMQ's scheduler accepts (five fields, or six with seconds). */
export function cronProblem(pattern: string, timeZone: string): string | null {
  const fields = pattern.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 6) return 'needs five fields (minute hour day month weekday), or six with seconds first';
  try {
    CronExpressionParser.parse(pattern, { tz: timeZone });
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * How a sync runs: the one boundary object for creating and editing a sync (API, UI and
 * the demo seed). Checked against the mapping's tables when saved (lib/sync/save-sync.ts).
 */
export const syncSettingsSchema = z
  .object({
    mode: z.enum(['cursor', 'log']),
    /** Cursor mode: a timestamp or integer column of the source that grows on every change. */
    cursorColumn: z.string().trim().min(1).max(128).nullish(),
    /** Cursor mode: how far behind the source clock a run reads (late commits). */
    lagMs: z.number().int().min(0).max(3_600_000).default(5000),
    /** Cursor mode: every N seconds, or a cron pattern in a time zone; one of the two. */
    everySeconds: z.number().int().min(1, 'must be at least 1 second').max(7 * 86_400).nullish(),
    cron: z.string().trim().max(120).nullish(),
    timeZone: z.string().trim().max(64).default('UTC').refine(isZone, 'is not a known IANA time zone'),
    deletePolicy: z.enum(['apply', 'mark', 'ignore']).default('apply'),
    /** The target column a marked deletion sets (a timestamp gets the time, a boolean true). */
    markColumn: z.string().trim().min(1).max(128).nullish(),
    /** Cursor mode: a source column that says a row is deleted (not null, or true). */
    softDeleteColumn: z.string().trim().min(1).max(128).nullish(),
    /** Cursor mode: compare the key sets this often to find deleted rows; 0 never. */
    reconcileMinutes: z.number().int().min(0).max(7 * 24 * 60).default(60),
    initialLoad: z.enum(['full', 'from_now']).default('full'),
    /** Verify the mapping this often while the sync runs (C on the sync page); 0 never. */
    verifyMinutes: z.number().int().min(0).max(7 * 24 * 60).default(60),
  })
  .superRefine((s, ctx) => {
    if (s.mode === 'cursor') {
      if (!s.cursorColumn) ctx.addIssue({ code: 'custom', path: ['cursorColumn'], message: 'is required for a cursor sync' });
      if (!s.everySeconds && !s.cron) ctx.addIssue({ code: 'custom', path: ['everySeconds'], message: 'give an interval in seconds or a cron pattern' });
      if (s.everySeconds && s.cron) ctx.addIssue({ code: 'custom', path: ['cron'], message: 'give an interval or a cron pattern, not both' });
    }
    if (s.cron) {
      const problem = cronProblem(s.cron, s.timeZone);
      if (problem) ctx.addIssue({ code: 'custom', path: ['cron'], message: `is not a valid cron pattern: ${problem}` });
    }
    if (s.deletePolicy === 'mark' && !s.markColumn) ctx.addIssue({ code: 'custom', path: ['markColumn'], message: 'is required when deletions are marked' });
    if (s.mode === 'log' && s.softDeleteColumn) ctx.addIssue({ code: 'custom', path: ['softDeleteColumn'], message: 'only applies to cursor syncs (the log sees deletions)' });
  });
export type SyncSettings = z.infer<typeof syncSettingsSchema>;

export const createSyncSchema = z.object({ mappingId: z.string().uuid('must be a valid mapping id'), settings: syncSettingsSchema });
export type CreateSyncRequest = z.infer<typeof createSyncSchema>;

/** Where a sync has got to, stored in its job's one chunk (`cursor`), under the lease. */
const cursorPosition = z.object({ cursor: z.string(), key: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])) });
export const syncPositionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cursor'), at: cursorPosition.nullable() }),
  z.object({ kind: z.literal('postgres'), lsn: z.string() }),
  z.object({ kind: z.literal('binlog'), checkpoint: binlogCheckpointSchema }),
]);
export type SyncPosition = z.infer<typeof syncPositionSchema>;

export const syncCheckpointSchema = z.discriminatedUnion('phase', [
  /** The full load (a migration job) runs; changes are then read from `from`, recorded before it began. */
  z.object({ phase: z.literal('initial_load'), loadJobId: z.string().uuid(), from: syncPositionSchema }),
  z.object({ phase: z.literal('streaming'), from: syncPositionSchema }),
]);
export type SyncCheckpoint = z.infer<typeof syncCheckpointSchema>;

/** Log health for the sync page (PostgreSQL: the slot; MariaDB/MySQL: the binlog position). */
export const syncCaptureHealthSchema = z.object({
  state: z.enum(['healthy', 'holding_wal', 'at_risk', 'lost', 'missing']),
  retainedBytes: z.number().nullable(),
  message: z.string(),
  checkedAt: z.string(),
});
export type SyncCaptureHealth = z.infer<typeof syncCaptureHealthSchema>;
