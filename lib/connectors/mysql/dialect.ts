import type { FilterSpellings, SqlDialect } from '../sql/dialect';
import { mysqlPortableExpression, mysqlPortableHashAggregate, mysqlPortableTextField } from './canonical-sql';
import { quoteMysqlIdent } from './quote-ident';

/**
 * Source filters (sql/source-filter-sql.ts). A column is compared as the text the driver
 * reads, in utf8mb4, and that as binary: the usual collations ignore case, accents and
 * trailing spaces. CAST AS CHAR, not CONVERT … USING: MariaDB folds CAST(CONVERT(float
 * USING …) AS DOUBLE) back into the raw float, while the copy reads its shorter text
 * ('1.1', not 1.100000023841858).
 */
const mysqlFilterSql: FilterSpellings = {
  driverText: (_column, quoted) => `CAST(${quoted} AS CHAR CHARACTER SET utf8mb4)`,
  compareText: (text, op, placeholder) => `CAST(${text} AS BINARY) ${op} CAST(CONVERT(${placeholder} USING utf8mb4) AS BINARY)`,
  // LIKE on binary strings would match bytes, not characters: a binary collation instead.
  likeText: (text, placeholder) => `${text} LIKE CONVERT(${placeholder} USING utf8mb4) COLLATE utf8mb4_bin`,
  toDouble: (text) => `CAST(${text} AS DOUBLE)`,
  exactNumber: (placeholder) => placeholder,
  // TINYINT(1) arrives as a number; BIT(1) as a Buffer, which no filter value matches.
  booleanColumn: (column) => /^tinyint\(1\)/i.test(column.dataType),
  compareBoolean: (quoted, op, placeholder) => `(${quoted} IN (0, 1) AND ${quoted} ${op} ${placeholder})`,
};

/**
 * How MySQL 8 / MariaDB spell what differs between SQL databases (see sql/dialect.ts).
 * No array parameters (key lists go out as IN lists) and no 'postgres' hash encoding.
 */
export const mysqlDialect: SqlDialect = {
  quoteIdent: quoteMysqlIdent,

  placeholder: () => '?',

  utcClockText: `DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%d %H:%i:%s.%f')`,

  /**
   * MariaDB accepts row values too but does not turn `(a,b) > (x,y)` into an index range
   * (EXPLAIN shows a full index scan on 10.11), so for MySQL the comparison is expanded to
   * `a >= x AND (a > x OR (a = x AND b > y))`, which its range optimizer does use.
   */
  tupleComparison(params, quotedColumns, op, values) {
    const strict = op === '>=' ? '>' : op === '<=' ? '<' : op;
    const expand = (i: number): string => {
      const column = quotedColumns[i];
      if (i === quotedColumns.length - 1) return `${column} ${op} ${params.add(values[i])}`;
      return `(${column} ${strict} ${params.add(values[i])} OR (${column} = ${params.add(values[i])} AND ${expand(i + 1)}))`;
    };
    const leading = `${quotedColumns[0]} ${op === '<' || op === '<=' ? '<=' : '>='} ${params.add(values[0])}`;
    return `${leading} AND ${expand(0)}`;
  },

  collationsStatement: (container, table) => ({
    text: 'SELECT COLUMN_NAME AS name, COLLATION_NAME AS collation FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    values: [container, table],
  }),

  rowHashAggregate(hashed) {
    // Each value as bytes with a length prefix ("5:hello"), NULL as a bare N: unambiguous
    // even when values contain the separator. CAST AS BINARY avoids charset conversion.
    const fields = hashed.map((c) => `COALESCE(CONCAT(LENGTH(CAST(${c} AS BINARY)), ':', CAST(${c} AS BINARY)), 'N')`);
    return `CAST(COALESCE(SUM(CAST(CONV(SUBSTRING(MD5(CONCAT_WS('|', ${fields.join(', ')})), 1, 15), 16, 10) AS UNSIGNED)), 0) AS CHAR)`;
  },

  canonicalText: mysqlPortableExpression,
  portableTextField: mysqlPortableTextField,
  portableHashAggregate: mysqlPortableHashAggregate,
  filterSql: mysqlFilterSql,
};
