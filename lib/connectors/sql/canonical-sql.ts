import { type CanonicalColumn, type HashEncoding, LENGTH_PREFIXED_FORMS } from '../canonical-column';
import type { SqlDialect } from './dialect';

/**
 * Canonical text of a column value, computed by SQL, for in-database hashing during
 * verification. The forms and encodings are defined in canonical-column.ts; each dialect
 * renders the forms (postgres/canonical-sql.ts, mysql/canonical-sql.ts) and this file
 * combines them into the range hash.
 */

/** Canonical text of one column (portable encoding) in the given dialect. */
export function canonicalExpression(dialect: SqlDialect, column: CanonicalColumn): string {
  return dialect.canonicalText(column);
}

// ---- row hash -----------------------------------------------------------------------------

/** Per-row hash expression and the aggregate over a range, as decimal text (0 for no rows). */
export function rangeHashAggregate(dialect: SqlDialect, encoding: HashEncoding, columns: CanonicalColumn[]): string {
  if (columns.length === 0) throw new Error('A range hash needs at least one column');
  if (encoding === 'postgres') {
    if (!dialect.typedHashAggregate) throw new Error('The PostgreSQL hash encoding needs PostgreSQL on both sides');
    return dialect.typedHashAggregate(columns);
  }
  const fields = columns.map((c) => portableField(dialect, c));
  return dialect.portableHashAggregate(fields);
}

/** Numbers interpolated into SQL: only small non-negative integers ever reach here. */
export function smallInt(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 10_000) throw new Error(`Expected a small whole number, got ${n}`);
  return n;
}

/** A time zone name as an SQL literal: IANA names use only these characters, so nothing needs escaping. */
export function zoneLiteral(zone: string): string {
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(zone)) throw new Error(`Not a time zone name: ${JSON.stringify(zone)}`);
  return `'${zone}'`;
}

/**
 * One value of the portable row text. Only text (and JSON, arrays) can contain the
 * separator, so only they carry their length ("5:a|b|c"); the other forms (digits, signs,
 * points, dates, 't'/'f', hex, bits, "~" texts) never contain "|" and never read "N", so
 * they stand as they are. Neither database shares common subexpressions, so the length
 * of plain text is taken from the column itself (character counts do not depend on the
 * character set).
 */
function portableField(dialect: SqlDialect, column: CanonicalColumn): string {
  const value = canonicalExpression(dialect, column);
  const form = column.form;
  if (!LENGTH_PREFIXED_FORMS.has(form.kind)) return `COALESCE(${value}, 'N')`;
  const plain = form.kind === 'text' && !form.emptyAsNull && !form.trim && !form.lower;
  return dialect.portableTextField(column, value, plain);
}
