import { z } from 'zod';

/**
 * One thing a source database lacks before change capture can run, as the sync page and
 * its API show it: a stable code, a sentence, and `fix`, the exact statements (SQL, or
 * option-file lines where the server cannot change at run time) that an administrator of
 * that database runs. Written by lib/sync/check-capture-prerequisites.ts.
 */
export const capturePrerequisiteCodes = [
  // Server settings
  'wal_level',
  'slot_wal_unbounded',
  'replication_slots_exhausted',
  'wal_senders_exhausted',
  'server_version',
  'binlog_off',
  'binlog_not_row',
  'row_image_not_full',
  'row_metadata_not_full',
  'server_id_unset',
  'binlog_expiry',
  /** The source is a file (a file source): it has no change log to capture. */
  'no_change_log',
  // The user's rights
  'replication_privilege',
  'database_create_privilege',
  'missing_grants',
  'table_ownership',
  'table_select_privilege',
  // The tables
  'table_missing',
  'replica_identity',
  'primary_key',
] as const;

export const capturePrerequisiteSchema = z.object({
  code: z.enum(capturePrerequisiteCodes),
  /** error: capture cannot start (or would break the source); warning: it runs, with a risk named in the message. */
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  /**
   * What to run, one statement per line (`--` lines say as whom or what follows), or the
   * option-file lines to add when the server cannot change at run time (message says so).
   */
  fix: z.string(),
  /** Option-file lines (under [mysqld]) that keep a run-time fix across a restart. */
  config: z.string().optional(),
  /** `schema.table` (PostgreSQL) or `database.table` (MySQL) when the problem is one table's. */
  table: z.string().optional(),
});
export type CapturePrerequisite = z.infer<typeof capturePrerequisiteSchema>;
export type CapturePrerequisiteCode = CapturePrerequisite['code'];

/** A table to capture; schema defaults to the connection's schema (PostgreSQL) or database (MySQL). */
export interface CaptureTableRef {
  schema?: string;
  table: string;
}
