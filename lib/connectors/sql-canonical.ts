import type { TypeFamily } from './connector';
import { type SqlDialect, quoteIdent } from './sql-identifiers';

/**
 * Canonical text of a column value, computed by SQL, for in-database hashing during
 * verification. Two databases that hold equal mapped content must produce the same text
 * per value, so each form below is written once per dialect and kept identical:
 *
 * - integer   decimal text: "-42"
 * - decimal   rounded half away from zero to `scale` digits, fixed point: "1.50", "0.00"
 * - boolean   "t" / "f" (MariaDB tinyint(1) 1/0); any other integer stays its digits
 * - text      the value as the driver returns it (PostgreSQL char(n) padded to n, MariaDB
 *             CHAR without trailing blanks); then, when asked: '' → NULL, blanks trimmed,
 *             ASCII letters lowered — in that order, so '  ' never becomes NULL
 * - date      "YYYY-MM-DD"
 * - timestamp UTC wall time truncated to s/ms/us: "YYYY-MM-DD HH:MI:SS[.fff[fff]]";
 *             MariaDB DATETIME and PostgreSQL timestamp are taken as UTC, as migrations write them
 * - native    PostgreSQL to PostgreSQL only: the value's own text output (same type on both sides)
 *
 * The 'postgres' encoding hashes values rather than these texts, with the same equalities.
 *
 * Two encodings turn a row of such values into a hash:
 * - 'portable' (any pair of databases): text as "<characters>:<text>", other values as their
 *   text, NULL as "N", joined with "|", MD5 of the UTF-8 bytes, the first 15 hex digits as
 *   an integer (see portableField);
 * - 'postgres' (both sides PostgreSQL): type-specific 64-bit hashes of the canonical values,
 *   XOR-ed per row (see pgTypedHash): no text conversion, about four times cheaper.
 * The range hash is the SUM over rows (order-independent, exact NUMERIC/DECIMAL).
 *
 * Forms may be stricter than the row-by-row comparison (a false difference only costs a
 * row comparison of a small range), never looser.
 */

export type TimestampPrecision = 's' | 'ms' | 'us';

export type CanonicalForm =
  | { kind: 'integer' }
  | {
      kind: 'decimal';
      scale: number;
      /** A cast transform's own rounding, applied first (rounding twice differs from once). */
      roundFirst?: number;
    }
  | { kind: 'boolean' }
  | { kind: 'text'; emptyAsNull?: boolean; trim?: boolean; lower?: boolean }
  | { kind: 'date' }
  | { kind: 'timestamp'; precision: TimestampPrecision }
  | { kind: 'native' };

export type HashEncoding = 'portable' | 'postgres';

/** One hashed column on one side: its name and type there, and the form both sides share. */
export interface CanonicalColumn {
  name: string;
  /** Type family of this side's column. */
  family: TypeFamily;
  /** PostgreSQL char(n): the driver returns values padded to n characters. */
  padTo?: number;
  /** This side's decimal scale, when fixed: PostgreSQL can then skip a rounding. */
  scale?: number | null;
  /** MariaDB text already in utf8mb4 (its collation says so) needs no conversion. */
  utf8mb4?: boolean;
  form: CanonicalForm;
}

const TRUNC_UNIT: Record<TimestampPrecision, string> = { s: 'second', ms: 'milliseconds', us: 'microseconds' };
const PG_FRACTION: Record<TimestampPrecision, string> = { s: '', ms: '.MS', us: '.US' };

/** Canonical text of one column (portable encoding) in the given dialect. */
export function canonicalExpression(dialect: SqlDialect, column: CanonicalColumn): string {
  return dialect === 'postgres' ? pgPortableExpression(column) : mysqlPortableExpression(column);
}

// ---- PostgreSQL ------------------------------------------------------------------------

function pgText(column: CanonicalColumn): string {
  const q = quoteIdent('postgres', column.name);
  // bpchar → text drops the padding that the driver (and so the row comparison) keeps.
  return column.padTo !== undefined ? `rpad(${q}::text, ${int(column.padTo)})` : `${q}::text`;
}

function pgTextOptions(column: CanonicalColumn, form: Extract<CanonicalForm, { kind: 'text' }>): string {
  let e = pgText(column);
  if (form.emptyAsNull) e = `NULLIF(${e}, '')`;
  if (form.trim) e = `btrim(${e}, ' ')`;
  // The "C" collation lowers ASCII letters only: equal here ⇒ equal under any case folding.
  if (form.lower) e = `lower(${e} COLLATE "C")`;
  return e;
}

function pgDecimal(q: string, form: Extract<CanonicalForm, { kind: 'decimal' }>): string {
  const first = form.roundFirst === undefined ? `${q}::numeric` : `round(${q}::numeric, ${int(form.roundFirst)})`;
  return `round(${first}, ${int(form.scale)})`;
}

function pgUtcWallTime(column: CanonicalColumn, q: string): string {
  return column.family === 'timestamptz' ? `(${q} AT TIME ZONE 'UTC')` : q;
}

/**
 * One column's 64-bit hash for the 'postgres' encoding: a type-specific hash function of the
 * canonical value (no text conversion, several times cheaper than text output), seeded by
 * the column's position, NULL as the seed itself. Values that are equal in canonical form
 * hash alike whatever the column types: integers as int8, decimals rounded to the form's
 * scale (numeric hashes by value, so 1.50 and 1.5 agree, as their fixed-scale texts do),
 * dates and timestamps as UTC timestamps, text (and anything else) by its canonical text
 * under "C" (a nondeterministic collation would otherwise hash case-insensitively).
 */
function pgTypedHash(column: CanonicalColumn, seed: number): string {
  const q = quoteIdent('postgres', column.name);
  const form = column.form;
  let hash: string;
  switch (form.kind) {
    case 'integer':
      hash = `hashint8extended(${q}::int8, ${seed})`;
      break;
    case 'decimal': {
      const exact = form.roundFirst === undefined && column.family === 'decimal' && column.scale === form.scale;
      hash = `hash_numeric_extended(${exact ? q : pgDecimal(q, form)}, ${seed})`;
      break;
    }
    case 'boolean':
      // true/false as 1/0; any other integer keeps its value and so never matches a boolean.
      hash = `hashint8extended(${column.family === 'boolean' ? `CASE WHEN ${q} THEN 1 WHEN NOT ${q} THEN 0 END` : `${q}::int8`}, ${seed})`;
      break;
    case 'text':
      hash = `hashtextextended((${pgTextOptions(column, form)}) COLLATE "C", ${seed})`;
      break;
    case 'date':
      hash = `timestamp_hash_extended(${q}::timestamp, ${seed})`;
      break;
    case 'timestamp': {
      const utc = pgUtcWallTime(column, q);
      hash = `timestamp_hash_extended(${form.precision === 'us' ? utc : `date_trunc('${TRUNC_UNIT[form.precision]}', ${utc})`}, ${seed})`;
      break;
    }
    case 'native':
      hash = `hashtextextended(${q}::text COLLATE "C", ${seed})`;
      break;
  }
  return `COALESCE(${hash}, ${seed})`;
}

function pgIntegerAsBoolean(q: string): string {
  return `CASE ${q} WHEN 1 THEN 't' WHEN 0 THEN 'f' ELSE ${q}::text END`;
}

function pgPortableExpression(column: CanonicalColumn): string {
  const q = quoteIdent('postgres', column.name);
  const form = column.form;
  switch (form.kind) {
    case 'integer':
      return `${q}::text`;
    case 'decimal':
      return `${pgDecimal(q, form)}::text`;
    case 'boolean':
      return column.family === 'boolean' ? `CASE ${q} WHEN true THEN 't' WHEN false THEN 'f' END` : pgIntegerAsBoolean(q);
    case 'text':
      return pgTextOptions(column, form);
    case 'date':
      return pgCalendarText(column, q, 'YYYY-MM-DD');
    case 'timestamp': {
      const truncated = `date_trunc('${TRUNC_UNIT[form.precision]}', ${pgUtcWallTime(column, q)})`;
      return pgCalendarText(column, truncated, `YYYY-MM-DD HH24:MI:SS${PG_FRACTION[form.precision]}`);
    }
    case 'native':
      throw new Error(`Column "${column.name}": its native text form is only comparable between two PostgreSQL databases`);
  }
}

/**
 * to_char gives NULL for infinity and drops the era of BC years, so such values keep
 * PostgreSQL's own text ("infinity", "0044-03-15 BC"), which MariaDB never produces:
 * they differ instead of matching a NULL or the AD year.
 */
function pgCalendarText(column: CanonicalColumn, value: string, format: string): string {
  // Tested on the column itself (shifting to UTC and truncating to whole seconds keep both
  // properties), so the converted value is computed once per row where it is an AD date.
  const q = quoteIdent('postgres', column.name);
  const firstDay = column.family === 'timestamptz' ? `timestamptz '0001-01-01 00:00:00+00'` : column.family === 'date' ? `date '0001-01-01'` : `timestamp '0001-01-01'`;
  return `CASE WHEN isfinite(${q}) AND ${q} >= ${firstDay} THEN to_char(${value}, '${format}') ELSE ${value}::text END`;
}

// ---- MariaDB / MySQL ---------------------------------------------------------------------

// MariaDB DECIMAL holds at most 65 digits; scales are at most 30 (ColumnNormalization).
const MYSQL_DECIMAL_DIGITS = 65;

function mysqlPortableExpression(column: CanonicalColumn): string {
  const q = quoteIdent('mysql', column.name);
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
      // The session time zone is UTC (mysql-connection.ts): TIMESTAMP columns show UTC.
      if (form.precision === 's') return `DATE_FORMAT(${q}, '%Y-%m-%d %H:%i:%s')`;
      if (form.precision === 'ms') return `LEFT(DATE_FORMAT(${q}, '%Y-%m-%d %H:%i:%s.%f'), 23)`;
      return `DATE_FORMAT(${q}, '%Y-%m-%d %H:%i:%s.%f')`;
    case 'native':
      throw new Error(`Column "${column.name}": its native text form is only comparable between two PostgreSQL databases`);
  }
}

// ---- row hash -----------------------------------------------------------------------------

/** Per-row hash expression and the aggregate over a range, as decimal text (0 for no rows). */
export function rangeHashAggregate(dialect: SqlDialect, encoding: HashEncoding, columns: CanonicalColumn[]): string {
  if (columns.length === 0) throw new Error('A range hash needs at least one column');
  if (encoding === 'postgres') {
    if (dialect !== 'postgres') throw new Error('The PostgreSQL hash encoding needs PostgreSQL on both sides');
    // XOR of the seeded column hashes, mixed once more so that values swapped between rows
    // change the sum.
    const row = columns.map((c, i) => pgTypedHash(c, i + 1)).join(' # ');
    return `COALESCE(SUM(hashint8extended(${row}, 0)), 0)::text`;
  }
  const fields = columns.map((c) => portableField(dialect, c));
  if (dialect === 'postgres') {
    const md5 = `md5(convert_to(concat_ws('|', ${fields.join(', ')}), 'UTF8'))`;
    return `COALESCE(SUM(('x' || substr(${md5}, 1, 15))::bit(60)::bigint), 0)::text`;
  }
  const md5 = `MD5(CONCAT_WS('|', ${fields.join(', ')}))`;
  return `CAST(COALESCE(SUM(CAST(CONV(SUBSTRING(${md5}, 1, 15), 16, 10) AS UNSIGNED)), 0) AS CHAR)`;
}

/** Numbers interpolated into SQL: only small non-negative integers ever reach here. */
function int(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 10_000) throw new Error(`Expected a small whole number, got ${n}`);
  return n;
}

/**
 * One value of the portable row text. Only text can contain the separator, so only text
 * carries its length ("5:a|b|c"); the other forms (digits, signs, points, dates, 't'/'f')
 * never contain "|" and never read "N", so they stand as they are. Neither database
 * shares common subexpressions, so the length of plain text is taken from the column
 * itself (character counts do not depend on the character set).
 */
function portableField(dialect: SqlDialect, column: CanonicalColumn): string {
  const value = canonicalExpression(dialect, column);
  const form = column.form;
  if (form.kind !== 'text') return `COALESCE(${value}, 'N')`;
  const plain = !form.emptyAsNull && !form.trim && !form.lower;
  if (dialect === 'postgres') {
    const length = plain && column.padTo === undefined ? `length(${quoteIdent('postgres', column.name)}::text)` : `length(${value})`;
    return `COALESCE(${length}::text || ':' || ${value}, 'N')`;
  }
  const length = plain && (column.family === 'text' || column.family === 'enum') ? `CHAR_LENGTH(${quoteIdent('mysql', column.name)})` : `CHAR_LENGTH(${value})`;
  return `COALESCE(CONCAT(${length}, ':', ${value}), 'N')`;
}
