import type { CanonicalColumn, CanonicalForm, TimestampPrecision } from '../canonical-column';
import { smallInt as int, zoneLiteral } from '../sql/canonical-sql';
import { quotePgIdent } from './quote-ident';

/**
 * PostgreSQL's rendering of the canonical forms (canonical-column.ts): the portable text of
 * a column, the 'postgres' encoding's typed hashes, and both encodings' range aggregates.
 */

const TRUNC_UNIT: Record<TimestampPrecision, string> = { s: 'second', ms: 'milliseconds', us: 'microseconds' };
const PG_FRACTION: Record<TimestampPrecision, string> = { s: '', ms: '.MS', us: '.US' };

function pgText(column: CanonicalColumn): string {
  const q = quotePgIdent(column.name);
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

type TimestampForm = Extract<CanonicalForm, { kind: 'timestamp' }>;

/** The wall time compared: in the form's zone (UTC without one) for a timestamp with zone, as it is without. */
function pgWallTime(column: CanonicalColumn, form: TimestampForm, q: string): string {
  if (column.family !== 'timestamptz') return q;
  return `(${q} AT TIME ZONE ${form.zone === undefined ? `'UTC'` : zoneLiteral(form.zone)})`;
}

/**
 * True for an instant that is the later of the two a wall time names in the zone (the hour
 * repeated when clocks go back): the copy writes the earlier one, so such a value cannot
 * match. The zone's offset one day earlier is the offset before any change that day.
 */
function pgLaterOfTwo(q: string, zone: string): string {
  const z = zoneLiteral(zone);
  const offsetAt = (instant: string) => `((${instant}) AT TIME ZONE ${z}) - ((${instant}) AT TIME ZONE 'UTC')`;
  const before = offsetAt(`${q} - interval '1 day'`);
  const now = offsetAt(q);
  return `(${before} > ${now} AND ((${q} - (${before} - (${now}))) AT TIME ZONE ${z}) = (${q} AT TIME ZONE ${z}))`;
}

/** A double (or real) as an exact decimal, where both databases can write one (canonical-column.ts). */
function pgFloat(column: CanonicalColumn, q: string): string {
  const asText = `${q}::text`;
  const inRange = column.family === 'float' ? `(${q} = 0 OR (abs(${q}) >= 1e-13 AND abs(${q}) < 1e35))` : 'true';
  return `CASE WHEN ${inRange} THEN round(${asText}::numeric, 30)::text ELSE '~' || ${asText} END`;
}

/** Signed microseconds of a time or an interval without months and days. */
function pgTimeMicros(column: CanonicalColumn, q: string): string {
  const micros = `(extract(epoch from ${q}) * 1000000)::numeric(30, 0)::text`;
  if (column.family !== 'interval') return micros;
  return `CASE WHEN date_part('year', ${q}) = 0 AND date_part('month', ${q}) = 0 AND date_part('day', ${q}) = 0 THEN ${micros} ELSE '~' || ${q}::text END`;
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
  const q = quotePgIdent(column.name);
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
      const wall = pgWallTime(column, form, q);
      hash = `timestamp_hash_extended(${form.precision === 'us' ? wall : `date_trunc('${TRUNC_UNIT[form.precision]}', ${wall})`}, ${seed})`;
      if (form.zone !== undefined && column.family === 'timestamptz') hash = `(${hash} # CASE WHEN ${pgLaterOfTwo(q, form.zone)} THEN 1 ELSE 0 END::int8)`;
      break;
    }
    case 'json':
      hash = `jsonb_hash_extended(${q}::jsonb, ${seed})`;
      break;
    case 'float':
    case 'binary':
    case 'bit':
    case 'time':
    case 'set_array':
      hash = `hashtextextended(${pgPortableExpression(column)}, ${seed})`;
      break;
    case 'native':
      hash = `hashtextextended(${q}::text COLLATE "C", ${seed})`;
      break;
  }
  return `COALESCE(${hash}, ${seed})`;
}

function pgIntegerAsBoolean(q: string): string {
  return `CASE ${q} WHEN 1 THEN 't' WHEN 0 THEN 'f' ELSE ${q}::text END`;
}

/** Canonical text of one column (portable encoding). */
export function pgPortableExpression(column: CanonicalColumn): string {
  const q = quotePgIdent(column.name);
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
      const truncated = `date_trunc('${TRUNC_UNIT[form.precision]}', ${pgWallTime(column, form, q)})`;
      const text = pgCalendarText(column, truncated, `YYYY-MM-DD HH24:MI:SS${PG_FRACTION[form.precision]}`);
      if (form.zone === undefined || column.family !== 'timestamptz') return text;
      return `CASE WHEN ${pgLaterOfTwo(q, form.zone)} THEN '~' ELSE '' END || ${text}`;
    }
    case 'float':
      return pgFloat(column, q);
    case 'json':
      return `${q}::jsonb::text`;
    case 'binary':
      return `encode(${q}, 'hex')`;
    case 'bit':
      return `${q}::text`;
    case 'time':
      return pgTimeMicros(column, q);
    case 'set_array':
      return `${q}::text`;
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
  const q = quotePgIdent(column.name);
  const firstDay = column.family === 'timestamptz' ? `timestamptz '0001-01-01 00:00:00+00'` : column.family === 'date' ? `date '0001-01-01'` : `timestamp '0001-01-01'`;
  return `CASE WHEN isfinite(${q}) AND ${q} >= ${firstDay} THEN to_char(${value}, '${format}') ELSE ${value}::text END`;
}

// ---- row hash -----------------------------------------------------------------------------

/** The 'postgres' encoding's aggregate over a range. */
export function pgTypedHashAggregate(columns: CanonicalColumn[]): string {
  // XOR of the seeded column hashes, mixed once more so that values swapped between rows
  // change the sum.
  const row = columns.map((c, i) => pgTypedHash(c, i + 1)).join(' # ');
  return `COALESCE(SUM(hashint8extended(${row}, 0)), 0)::text`;
}

/** A text column's portable field: its length (from the column itself when plain), ':', its text. */
export function pgPortableTextField(column: CanonicalColumn, value: string, plain: boolean): string {
  const length = plain && column.padTo === undefined ? `length(${quotePgIdent(column.name)}::text)` : `length(${value})`;
  return `COALESCE(${length}::text || ':' || ${value}, 'N')`;
}

/** The portable encoding's aggregate: MD5 of the UTF-8 bytes of the joined fields. */
export function pgPortableHashAggregate(fields: string[]): string {
  const md5 = `md5(convert_to(concat_ws('|', ${fields.join(', ')}), 'UTF8'))`;
  return `COALESCE(SUM(('x' || substr(${md5}, 1, 15))::bit(60)::bigint), 0)::text`;
}
