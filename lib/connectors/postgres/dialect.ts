import type { FilterSpellings, SqlDialect } from '../sql/dialect';
import { pgPortableExpression, pgPortableHashAggregate, pgPortableTextField, pgTypedHashAggregate } from './canonical-sql';
import { quotePgIdent } from './quote-ident';

/**
 * Source filters (sql/source-filter-sql.ts). Text compares as UTF-8 bytes, which is code
 * point order whatever the database's collation or encoding. Text types other than these
 * are left out: char(n) reaches the copy padded but casts to text without the padding.
 */
const PLAIN_TEXT_TYPE = /^(text|character varying|citext|name)\b/;

const pgFilterSql: FilterSpellings = {
  driverText: (column, quoted) => (column.family === 'text' && !PLAIN_TEXT_TYPE.test(column.dataType) ? null : `CAST(${quoted} AS text)`),
  compareText: (text, op, placeholder) => `convert_to(${text}, 'UTF8') ${op} convert_to(${placeholder}, 'UTF8')`,
  // "C": LIKE under a nondeterministic collation is refused, and under "C" never folds case.
  likeText: (text, placeholder) => `${text} COLLATE "C" LIKE ${placeholder}`,
  // float8in and Number() both round a decimal text to the nearest double.
  toDouble: (text) => `CAST(${text} AS double precision)`,
  exactNumber: (placeholder, integer) => `CAST(${placeholder} AS ${integer ? 'bigint' : 'numeric'})`,
  booleanColumn: () => true,
  compareBoolean: (quoted, op, placeholder) => `${quoted} ${op} ${placeholder}`,
};

/** How PostgreSQL spells what differs between SQL databases (see sql/dialect.ts). */
export const postgresDialect: SqlDialect = {
  quoteIdent: quotePgIdent,

  placeholder: (position) => `$${position}`,

  // statement_timestamp(), not now(): the clock when the statement runs, even inside a transaction.
  utcClockText: `to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')`,

  // PostgreSQL uses a row-value comparison, which its btree indexes serve directly.
  tupleComparison(params, quotedColumns, op, values) {
    const placeholders = values.map((v) => params.add(v));
    return `(${quotedColumns.join(', ')}) ${op} (${placeholders.join(', ')})`;
  },

  anyOfArray: (quotedColumn, arrayPlaceholder) => `${quotedColumn} = ANY(${arrayPlaceholder})`,

  /**
   * Collation per column. PostgreSQL's "default" is resolved to the database's locale (with
   * its provider for ICU / builtin locales), so two databases can be compared by name.
   */
  collationsStatement(container, table) {
    // to_jsonb(pg_database) reads the locale columns by name: they differ across versions
    // (datlocprovider from 15, daticulocale in 15–16, datlocale from 17).
    const text = `
    WITH db AS (SELECT to_jsonb(d) AS j FROM pg_database d WHERE d.datname = current_database())
    SELECT a.attname AS name,
           CASE WHEN a.attcollation = 0 THEN NULL
                WHEN co.collname <> 'default' THEN CASE co.collprovider WHEN 'i' THEN 'icu:' || co.collname ELSE co.collname END
                ELSE (SELECT CASE j ->> 'datlocprovider'
                               WHEN 'i' THEN 'icu:' || coalesce(j ->> 'datlocale', j ->> 'daticulocale')
                               WHEN 'b' THEN 'builtin:' || coalesce(j ->> 'datlocale', '')
                               ELSE j ->> 'datcollate' END FROM db)
           END AS collation
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_collation co ON co.oid = a.attcollation
     WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped`;
    return { text, values: [container, table] };
  },

  // ROW(...)::text quotes and escapes every field, so distinct rows give distinct texts.
  rowHashAggregate: (hashed) => `COALESCE(SUM(('x' || SUBSTR(MD5(ROW(${hashed.join(', ')})::text), 1, 15))::bit(60)::bigint), 0)::text`,

  canonicalText: pgPortableExpression,
  portableTextField: pgPortableTextField,
  portableHashAggregate: pgPortableHashAggregate,
  typedHashAggregate: pgTypedHashAggregate,
  filterSql: pgFilterSql,
};
