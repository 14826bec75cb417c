import type { OrderedIndex } from '../connector';
import type { MysqlQuery } from './catalog';

interface IndexPart {
  name: string;
  column_name: string | null;
  sub_part: unknown;
  engine: string | null;
}

/**
 * A table's B-tree indexes with their columns in order. InnoDB stores the primary key in
 * every secondary index after its own columns, so they are listed there too. A column
 * indexed by a prefix only, or an expression (MySQL 8), comes back as null: it does not
 * order whole values.
 */
export async function readMysqlOrderedIndexes(query: MysqlQuery, database: string, table: string): Promise<OrderedIndex[]> {
  const parts = await query<IndexPart>(
    `SELECT s.INDEX_NAME AS name, s.COLUMN_NAME AS column_name, s.SUB_PART AS sub_part, t.ENGINE AS engine
       FROM information_schema.STATISTICS s
       JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = s.TABLE_SCHEMA AND t.TABLE_NAME = s.TABLE_NAME
      WHERE s.TABLE_SCHEMA = ? AND s.TABLE_NAME = ? AND s.INDEX_TYPE = 'BTREE'
      ORDER BY s.INDEX_NAME, s.SEQ_IN_INDEX`,
    [database, table],
  );
  const indexes = new Map<string, (string | null)[]>();
  for (const part of parts) {
    const columns = indexes.get(part.name) ?? [];
    columns.push(part.sub_part === null || part.sub_part === undefined ? part.column_name : null);
    indexes.set(part.name, columns);
  }
  const primary = indexes.get('PRIMARY');
  const innodb = parts[0]?.engine?.toLowerCase() === 'innodb';
  return [...indexes].map(([name, columns]) => ({
    name,
    columns: innodb && primary && name !== 'PRIMARY' ? [...columns, ...primary.filter((c) => c === null || !columns.includes(c))] : columns,
  }));
}
