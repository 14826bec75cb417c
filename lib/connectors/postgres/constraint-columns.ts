import type { ConstraintColumns } from '../connector';
import type { PgQuery } from './catalog';

/**
 * Every constraint of a table (conkey: the columns a primary key, unique, foreign key,
 * CHECK or exclusion constraint is defined on) and every unique index that is not a
 * constraint's, whose name PostgreSQL reports instead. An index's key columns come from
 * indkey; an expression part (attnum 0) adds the columns the index depends on.
 */
const CONSTRAINT_COLUMNS_SQL = `
WITH rel AS (
  SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2
)
SELECT con.conname::text AS name,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord) AS columns
  FROM pg_constraint con JOIN rel ON rel.oid = con.conrelid
 WHERE con.conkey IS NOT NULL
UNION ALL
SELECT i.relname::text,
       CASE WHEN 0 = ANY (ix.indkey::int2[]) THEN
         ARRAY(SELECT a.attname::text FROM pg_depend d
                 JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                WHERE d.classid = 'pg_class'::regclass AND d.objid = ix.indexrelid
                  AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 ORDER BY a.attnum)
       ELSE
         ARRAY(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(num, ord)
                 JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.num
                WHERE k.ord <= ix.indnkeyatts ORDER BY k.ord)
       END
  FROM pg_index ix JOIN rel ON rel.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
 WHERE ix.indisunique
   AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conrelid = ix.indrelid AND con.conindid = ix.indexrelid)`;

/** The columns of each constraint of `schema.table`, by the name PostgreSQL's errors give. */
export async function readPgConstraintColumns(query: PgQuery, schema: string, table: string): Promise<ConstraintColumns> {
  const rows = await query<{ name: string; columns: string[] }>(CONSTRAINT_COLUMNS_SQL, [schema, table]);
  return new Map(rows.map((r) => [r.name, r.columns]));
}
