import type { OrderedIndex } from '../connector';
import type { PgQuery } from './catalog';

/**
 * A table's valid, non-partial B-tree indexes with their key columns in order (INCLUDE
 * columns left out: they are not ordered). Expression parts come back as null.
 */
export async function readPgOrderedIndexes(query: PgQuery, schema: string, table: string): Promise<OrderedIndex[]> {
  return query<OrderedIndex>(
    `SELECT i.relname AS name,
            ARRAY(SELECT a.attname::text
                    FROM generate_series(0, ix.indnkeyatts - 1) AS k(ord)
                    LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = ix.indkey[k.ord] AND ix.indkey[k.ord] <> 0
                   ORDER BY k.ord) AS columns
       FROM pg_index ix
       JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_class i ON i.oid = ix.indexrelid
       JOIN pg_am am ON am.oid = i.relam
      WHERE n.nspname = $1 AND t.relname = $2 AND am.amname = 'btree' AND ix.indisvalid AND ix.indpred IS NULL
      ORDER BY i.relname`,
    [schema, table],
  );
}
