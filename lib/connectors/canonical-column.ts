import type { TypeFamily } from './type-family';

/**
 * Canonical text of a column value, for in-database hashing during verification: what
 * hashRangeCanonical is asked to hash. Two databases that hold equal mapped content must
 * produce the same text per value, so each form below is written once per dialect (SQL:
 * sql/canonical-sql.ts and each database's canonical-sql.ts) and kept identical:
 *
 * - integer   decimal text: "-42"
 * - decimal   rounded half away from zero to `scale` digits, fixed point: "1.50", "0.00"
 * - boolean   "t" / "f" (MariaDB tinyint(1) 1/0); any other integer stays its digits
 * - text      the value as the driver returns it (PostgreSQL char(n) padded to n, MariaDB
 *             CHAR without trailing blanks); then, when asked: '' → NULL, blanks trimmed,
 *             ASCII letters lowered — in that order, so '  ' never becomes NULL; a
 *             PostgreSQL array compared with text is its own text ('{red,green}')
 * - date      "YYYY-MM-DD"
 * - timestamp UTC wall time truncated to s/ms/us: "YYYY-MM-DD HH:MI:SS[.fff[fff]]";
 *             MariaDB DATETIME and PostgreSQL timestamp are taken as UTC, as migrations write
 *             them; with a `zone` (a source connection's zone of timestamps without zone),
 *             the wall time in that zone instead: a timestamp without zone as it is, one with
 *             zone converted to it ("~" first for the later of two instants a wall time names
 *             when clocks go back: the copy writes the earlier one)
 * - float     the shortest text of the double (or single) as an exact decimal rounded to 30
 *             digits: "0.100…0"; outside 1e-13 … 1e35 (and NaN, infinities) "~" and the
 *             database's own text, which never matches across databases
 * - json      PostgreSQL to PostgreSQL only: the jsonb text (keys sorted, no blanks)
 * - binary    the bytes in lower-case hex
 * - bit       the bits, "0101" (MariaDB BIT(n): its n bits)
 * - time      signed microseconds ("-36001500000"): a time of day or a MariaDB TIME duration;
 *             a PostgreSQL interval with months or days "~" and its text
 * - set_array a MariaDB SET as PostgreSQL writes the array of its members: "{red,blue}"
 * - native    PostgreSQL to PostgreSQL only: the value's own text output (same type on both sides)
 *
 * The 'postgres' encoding hashes values rather than these texts, with the same equalities.
 *
 * Two encodings turn a row of such values into a hash:
 * - 'portable' (any pair of databases): text as "<characters>:<text>", other values as their
 *   text, NULL as "N", joined with "|", MD5 of the UTF-8 bytes, the first 15 hex digits as
 *   an integer (see portableField in sql/canonical-sql.ts);
 * - 'postgres' (both sides PostgreSQL): type-specific 64-bit hashes of the canonical values,
 *   XOR-ed per row (see pgTypedHash in postgres/canonical-sql.ts): no text conversion,
 *   about four times cheaper.
 * The range hash is the SUM over rows (order-independent, exact NUMERIC/DECIMAL).
 *
 * Forms may be stricter than the row-by-row comparison (a false difference only costs a
 * row comparison of a small range), never looser.
 *
 * Plain data only: no system's rendering of these forms lives here.
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
  | {
      kind: 'timestamp';
      precision: TimestampPrecision;
      /** IANA zone the wall times are compared in; UTC when absent. */
      zone?: string;
    }
  | { kind: 'float' }
  | { kind: 'json' }
  | { kind: 'binary' }
  | { kind: 'bit' }
  | { kind: 'time' }
  | { kind: 'set_array' }
  | { kind: 'native' };

/** Forms whose text can hold any character: their portable field carries its length. */
export const LENGTH_PREFIXED_FORMS: ReadonlySet<CanonicalForm['kind']> = new Set(['text', 'json', 'set_array']);


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
  /** MariaDB BIT(n): its n bits. */
  bits?: number;
  form: CanonicalForm;
}
