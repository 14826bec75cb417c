import { DatabaseQueryError, nonEmptyText as str } from '../database-error';

// MySQL reports the failing column and constraint only in the message text; the patterns
// cover MySQL 8 and MariaDB spellings (MariaDB qualifies names as `db`.`table`.`column`).
const MYSQL_COLUMN_PATTERNS = [
  /Column '([^']+)' cannot be null/, // 1048
  /Field '([^']+)' doesn't have a default value/, // 1364
  /for column (?:`[^`]*`\.`[^`]*`\.)?[`']([^`']+)[`'] at row/, // 1264, 1265, 1292, 1366, 1406
];
const MYSQL_CONSTRAINT_PATTERNS = [
  /CONSTRAINT `([^`]+)` (?:FOREIGN KEY|failed)/, // 1451/1452 FK, MariaDB 4025 check
  /Check constraint '([^']+)' is violated/, // MySQL 3819
  /Duplicate entry .* for key '(?:[^'.]+\.)?([^'.]+)'/, // 1062 (MySQL 8 prefixes the table)
];

function firstMatch(patterns: RegExp[], text: string): string | undefined {
  for (const p of patterns) {
    const m = p.exec(text);
    if (m) return m[1];
  }
  return undefined;
}

export function wrapMysqlError(err: unknown): Error {
  if (err instanceof DatabaseQueryError || !(err instanceof Error)) return err instanceof Error ? err : new Error(String(err));
  const e = err as Error & Record<string, unknown>;
  const message = str(e.sqlMessage) ?? err.message;
  let column = firstMatch(MYSQL_COLUMN_PATTERNS, message);
  const constraint = firstMatch(MYSQL_CONSTRAINT_PATTERNS, message);
  // A foreign key message names its column: "... FOREIGN KEY (`account_id`) REFERENCES ...".
  if (!column) column = /FOREIGN KEY \(`([^`]+)`\)/.exec(message)?.[1];
  return new DatabaseQueryError(
    message,
    {
      code: str(e.code),
      errno: typeof e.errno === 'number' ? e.errno : undefined,
      sqlState: str(e.sqlState),
      column,
      constraint,
    },
    err,
  );
}
