import type mysql from 'mysql2/promise';
import type { BinlogRow } from './assemble-transactions';
import type { TableRef } from './classify-query';

/**
 * MariaDB's JSON is a LONGTEXT with a json_valid() check, so the binlog carries it as text.
 * A SELECT through mysql2 parses it (MariaDB tags the column 'json' in its extended result
 * metadata), and so does the connector's snapshot; change capture must hand over the same
 * value, so the JSON columns of each captured table are looked up (the same rule as
 * catalog.ts) and their text parsed. Looked up at open and again after a schema change.
 */
export type JsonColumns = Map<string, Set<string>>;

export const tableKey = (t: TableRef) => `${t.database}\u0000${t.table}`;

export async function loadJsonColumns(conn: Pick<mysql.Connection, 'query'>, tables: TableRef[]): Promise<JsonColumns> {
  const result: JsonColumns = new Map(tables.map((t) => [tableKey(t), new Set<string>()]));
  if (tables.length === 0) return result;
  const where = tables.map(() => '(CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?)').join(' OR ');
  const [rows] = await conn.query<mysql.RowDataPacket[]>(
    `SELECT CONSTRAINT_SCHEMA AS db, TABLE_NAME AS t, CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS WHERE ${where}`,
    tables.flatMap((t) => [t.database, t.table]),
  );
  for (const r of rows) {
    const column = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(String(r.clause).trim())?.[1]?.replace(/``/g, '`');
    if (column) result.get(tableKey({ database: String(r.db), table: String(r.t) }))?.add(column);
  }
  return result;
}

/** Parses the JSON columns' text in place; text that is not JSON stays text. */
export function parseJsonValues(row: BinlogRow, columns: Set<string> | undefined): void {
  if (!columns) return;
  for (const name of columns) {
    const v = row[name];
    if (typeof v !== 'string') continue;
    try {
      row[name] = JSON.parse(v);
    } catch {
      // json_valid() admits what JSON.parse does; keep the text if the check was added later
    }
  }
}
