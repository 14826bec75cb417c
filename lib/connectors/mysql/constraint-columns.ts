import type { ConstraintColumns } from '../connector';
import type { MysqlQuery } from './catalog';

/**
 * The columns of each constraint of a table, by the name MySQL's and MariaDB's errors give:
 * keys and foreign keys from KEY_COLUMN_USAGE ('PRIMARY', a unique key's index name, a
 * foreign key's name), CHECK constraints from the columns their clause names. MariaDB
 * names a column-level CHECK after its column and reports it as `table.column`, so such a
 * check is listed under both names.
 */
export async function readMysqlConstraintColumns(
  query: MysqlQuery,
  database: string,
  table: string,
  columns: readonly string[],
  isMariaDb: boolean,
): Promise<ConstraintColumns> {
  const [keys, checks] = await Promise.all([
    query<{ name: string; column_name: string }>(
      `SELECT CONSTRAINT_NAME AS name, COLUMN_NAME AS column_name FROM information_schema.KEY_COLUMN_USAGE
        WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION`,
      [database, table],
    ),
    readChecks(query, database, table, isMariaDb),
  ]);
  const byName = new Map<string, string[]>();
  for (const key of keys) byName.set(key.name, [...(byName.get(key.name) ?? []), key.column_name]);
  const known = new Set(columns);
  for (const check of checks) {
    const named = checkClauseColumns(check.clause).filter((c) => known.has(c));
    byName.set(check.name, named);
    if (check.level === 'Column') byName.set(`${table}.${check.name}`, named);
  }
  return byName;
}

/** The distinct `quoted` identifiers of a CHECK clause, in order (string literals skipped). */
export function checkClauseColumns(clause: string): string[] {
  const names: string[] = [];
  for (const match of clause.matchAll(/'(?:[^'\\]|\\.|'')*'|`((?:[^`]|``)+)`/g)) {
    const name = match[1]?.replace(/``/g, '`');
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}

async function readChecks(query: MysqlQuery, database: string, table: string, isMariaDb: boolean) {
  // MariaDB names checks per table (CHECK_CONSTRAINTS has TABLE_NAME and LEVEL); MySQL 8.0.16+
  // per schema, tied to tables through TABLE_CONSTRAINTS.
  const sql = isMariaDb
    ? `SELECT CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause, LEVEL AS level FROM information_schema.CHECK_CONSTRAINTS
        WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?`
    : `SELECT cc.CONSTRAINT_NAME AS name, cc.CHECK_CLAUSE AS clause, 'Table' AS level
         FROM information_schema.TABLE_CONSTRAINTS tc
         JOIN information_schema.CHECK_CONSTRAINTS cc
           ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
        WHERE tc.TABLE_SCHEMA = ? AND tc.TABLE_NAME = ? AND tc.CONSTRAINT_TYPE = 'CHECK'`;
  try {
    return await query<{ name: string; clause: string; level: string }>(sql, [database, table]);
  } catch (err) {
    // Servers older than MySQL 8.0.16 / MariaDB 10.2 have no CHECK_CONSTRAINTS table.
    if ((err as { errno?: number }).errno === 1109) return [];
    throw err;
  }
}
