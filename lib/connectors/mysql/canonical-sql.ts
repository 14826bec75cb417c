import type { CanonicalColumn } from '../canonical-column';
import { smallInt as int } from '../sql/canonical-sql';
import { quoteMysqlIdent } from './quote-ident';

/**
 * MariaDB / MySQL's rendering of the canonical forms (canonical-column.ts): the portable
 * text of a column and the portable range aggregate (the 'postgres' encoding has none here).
 */

// MariaDB DECIMAL holds at most 65 digits; scales are at most 30 (ColumnNormalization).
const MYSQL_DECIMAL_DIGITS = 65;

/** Canonical text of one column (portable encoding). */
export function mysqlPortableExpression(column: CanonicalColumn): string {
  const q = quoteMysqlIdent(column.name);
  const form = column.form;
  switch (form.kind) {
    case 'integer':
      return `CAST(${q} AS CHAR)`;
    case 'decimal': {
      // CAST to DECIMAL rounds half away from zero, like PostgreSQL's round(numeric).
      const first = form.roundFirst === undefined ? q : `CAST(${q} AS DECIMAL(${MYSQL_DECIMAL_DIGITS}, ${int(form.roundFirst)}))`;
      return `CAST(CAST(${first} AS DECIMAL(${MYSQL_DECIMAL_DIGITS}, ${int(form.scale)})) AS CHAR)`;
    }
    case 'boolean':
      return `CASE ${q} WHEN 1 THEN 't' WHEN 0 THEN 'f' ELSE CAST(${q} AS CHAR) END`;
    case 'text': {
      if (form.lower) throw new Error(`Column "${column.name}": case-insensitive text is only hashed between PostgreSQL databases`);
      // utf8mb4, so MD5 sees the same UTF-8 bytes as PostgreSQL whatever the column's charset.
      let e = column.family !== 'text' && column.family !== 'enum' ? `CONVERT(CAST(${q} AS CHAR) USING utf8mb4)` : column.utf8mb4 ? q : `CONVERT(${q} USING utf8mb4)`;
      // Not NULLIF(e, ''): PAD SPACE collations find '  ' equal to ''.
      if (form.emptyAsNull) e = `IF(CHAR_LENGTH(${e}) = 0, NULL, ${e})`;
      if (form.trim) e = `TRIM(BOTH ' ' FROM ${e})`;
      return e;
    }
    case 'date':
      return `DATE_FORMAT(${q}, '%Y-%m-%d')`;
    case 'timestamp':
      // A zone is only planned for the side without zone (a DATETIME shows its own wall time):
      // converting to a named zone needs time zone tables MariaDB rarely has.
      if (form.zone !== undefined && column.family === 'timestamptz') throw new Error(`Column "${column.name}": MariaDB cannot show its instants in ${form.zone}`);
      // The session time zone is UTC (connection.ts): TIMESTAMP columns show UTC.
      if (form.precision === 's') return `DATE_FORMAT(${q}, '%Y-%m-%d %H:%i:%s')`;
      if (form.precision === 'ms') return `LEFT(DATE_FORMAT(${q}, '%Y-%m-%d %H:%i:%s.%f'), 23)`;
      return `DATE_FORMAT(${q}, '%Y-%m-%d %H:%i:%s.%f')`;
    case 'float': {
      // As exact decimals (canonical-column.ts): MariaDB shows a FLOAT with 6 digits, as it reads it.
      const text = `CAST(${q} AS CHAR)`;
      const inRange = column.family === 'float' ? `(${q} = 0 OR (ABS(${q}) >= 1e-13 AND ABS(${q}) < 1e35))` : 'TRUE';
      return `CASE WHEN ${inRange} THEN CAST(CAST(${text} AS DECIMAL(${MYSQL_DECIMAL_DIGITS}, 30)) AS CHAR) ELSE CONCAT('~', ${text}) END`;
    }
    case 'binary':
      return `LOWER(HEX(${q}))`;
    case 'bit':
      if (column.bits === undefined) throw new Error(`Column "${column.name}": a bit string needs the column's BIT(n) length`);
      return `LPAD(BIN(${q}), ${int(column.bits)}, '0')`;
    case 'time':
      return `CAST(CAST(TIME_TO_SEC(${q}) * 1000000 AS DECIMAL(${MYSQL_DECIMAL_DIGITS}, 0)) AS CHAR)`;
    case 'set_array':
      return `CONCAT('{', CONVERT(CAST(${q} AS CHAR) USING utf8mb4), '}')`;
    case 'json':
    case 'native':
      throw new Error(`Column "${column.name}": its native text form is only comparable between two PostgreSQL databases`);
  }
}

// ---- row hash -----------------------------------------------------------------------------

/** A text column's portable field: its length (from the column itself when plain), ':', its text. */
export function mysqlPortableTextField(column: CanonicalColumn, value: string, plain: boolean): string {
  const length = plain && (column.family === 'text' || column.family === 'enum') ? `CHAR_LENGTH(${quoteMysqlIdent(column.name)})` : `CHAR_LENGTH(${value})`;
  return `COALESCE(CONCAT(${length}, ':', ${value}), 'N')`;
}

/** The portable encoding's aggregate: MD5 of the joined fields (already utf8mb4, canonicalText). */
export function mysqlPortableHashAggregate(fields: string[]): string {
  const md5 = `MD5(CONCAT_WS('|', ${fields.join(', ')}))`;
  return `CAST(COALESCE(SUM(CAST(CONV(SUBSTRING(${md5}, 1, 15), 16, 10) AS UNSIGNED)), 0) AS CHAR)`;
}
