import { checkMysqlCapturePrerequisites } from '../connectors/mysql/capture-prerequisites';
import { MysqlPool } from '../connectors/mysql/connection';
import { checkPostgresCapturePrerequisites } from '../connectors/postgres/capture-prerequisites';
import { PostgresPool } from '../connectors/postgres/connection';
import type { CapturePrerequisite, CaptureTableRef } from '../schemas/capture-prerequisite';
import type { ResolvedConnection } from '../schemas/connection-config';

/**
 * Before a change-capture sync starts (and when its page asks why it cannot): what the
 * source database and the connection's user lack, each problem with the exact statements
 * an administrator of that database runs. Reads catalogs and settings only; creates
 * nothing (no slot, no publication) and changes nothing.
 *
 *   const problems = await checkCapturePrerequisites(connection, [{ schema: 'public', table: 'customers' }],
 *     { publicationName: captureNames(syncId).publicationName });   // PostgreSQL only; optional
 *   if (hasBlockingProblem(problems)) → the sync stays in a "needs setup" state and shows
 *     problems (message + fix, and config where given); nothing is created.
 *   warnings (e.g. an unbounded WAL bound, binlogs that never expire) → show them, start anyway.
 *
 * - `connection` is the saved source connection with its password (ResolvedConnection);
 *   the check connects as that user, because the user's rights are what is checked.
 * - `tables`: schema defaults to the connection's schema (PostgreSQL, else public) or its
 *   database (MySQL/MariaDB).
 * - A connection that fails (refused, wrong password) throws the connector's error, as a
 *   connection test would; classify it with the connection test's classifier.
 * - Problem codes (lib/schemas/capture-prerequisite.ts) are stable: a UI may link help
 *   by code. PostgreSQL: wal_level, replication_privilege, database_create_privilege,
 *   table_ownership, table_select_privilege, replica_identity, replication_slots_exhausted,
 *   wal_senders_exhausted, slot_wal_unbounded (warning), server_version, table_missing.
 *   MySQL/MariaDB: binlog_off, binlog_not_row, row_image_not_full, server_id_unset,
 *   missing_grants, table_select_privilege, primary_key, table_missing,
 *   row_metadata_not_full and binlog_expiry (warnings).
 */
export async function checkCapturePrerequisites(
  connection: ResolvedConnection,
  tables: CaptureTableRef[],
  options: { publicationName?: string } = {},
): Promise<CapturePrerequisite[]> {
  if (tables.length === 0) throw new Error('Name at least one table to capture');
  switch (connection.kind) {
    case 'postgres': {
      const pool = new PostgresPool(connection);
      try {
        return await pool.withClient((client) =>
          checkPostgresCapturePrerequisites(client, tables, { defaultSchema: connection.schema ?? 'public', publicationName: options.publicationName }),
        );
      } finally {
        await pool.close();
      }
    }
    case 'mysql': {
      const pool = new MysqlPool(connection);
      try {
        return await pool.withConnection((conn) =>
          checkMysqlCapturePrerequisites(
            async <R>(sql: string, values: unknown[] = []) => {
              const [rows] = await conn.query(sql, values);
              return rows as R[];
            },
            tables,
            { defaultDatabase: connection.database },
          ),
        );
      } finally {
        await pool.close();
      }
    }
    case 'csv':
      return [
        {
          code: 'no_change_log',
          severity: 'error',
          message: 'A CSV file has no change log to capture.',
          fix: '-- Upload the new export as a new version of the same file, then run the mapping again: unchanged rows are rewritten as they are.',
        },
      ];
  }
}

/** True when capture cannot start until an administrator has fixed something. */
export const hasBlockingProblem = (problems: CapturePrerequisite[]): boolean => problems.some((p) => p.severity === 'error');

/**
 * All fixes as one script to hand to the database's administrator: errors first, each
 * fix under a comment that says why; option-file lines last, as they need a restart.
 */
export function formatCaptureFixes(problems: CapturePrerequisite[]): string {
  const ordered = [...problems.filter((p) => p.severity === 'error'), ...problems.filter((p) => p.severity === 'warning')];
  const sql = ordered.filter((p) => !p.fix.startsWith('[mysqld]'));
  const option = ordered.filter((p) => p.fix.startsWith('[mysqld]') || p.config);
  const parts = sql.map((p) => `-- ${p.severity === 'warning' ? 'warning: ' : ''}${p.code}${p.table ? ` (${p.table})` : ''}\n${p.fix}`);
  const lines = [...new Set(option.flatMap((p) => (p.fix.startsWith('[mysqld]') ? p.fix : (p.config ?? '')).split('\n')).filter((l) => l && l !== '[mysqld]'))];
  if (lines.length > 0) parts.push(`-- option file, under [mysqld] (then restart the server where log_bin changes):\n[mysqld]\n${lines.join('\n')}`);
  return parts.join('\n\n');
}
