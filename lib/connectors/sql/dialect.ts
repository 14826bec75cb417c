import type { CanonicalColumn } from '../canonical-column';
import type { ColumnInfo, KeyTuple } from '../connector';
import type { Statement } from './statement';

/**
 * What differs between the SQL databases, as one object per database (postgres/dialect.ts,
 * mysql/dialect.ts). The shared statements in this folder take a dialect and call it
 * wherever the SQL text differs; they never ask which database it is. A new SQL database
 * is a new object of this type, not new branches in the shared statements.
 */

export type TupleOperator = '>' | '>=' | '<' | '<=';
export type ComparisonOperator = TupleOperator | '=' | '<>';

/**
 * How a database spells the source filters' conditions so that they keep exactly the rows
 * the copy keeps in memory (sql/source-filter-sql.ts decides which filters it can apply).
 */
export interface FilterSpellings {
  /** The column as the very text the driver hands the copy, or null where it differs. */
  driverText(column: ColumnInfo, quoted: string): string | null;
  /** Two texts compared by code point, with no case folding and no space padding. */
  compareText(text: string, op: ComparisonOperator, placeholder: string): string;
  /** LIKE over characters, case- and accent-sensitive, backslash escaping. */
  likeText(text: string, placeholder: string): string;
  /** A number's text as a double, rounded as JavaScript's Number() rounds it. */
  toDouble(text: string): string;
  /** A bound number as an exact SQL number of a type any integer column compares with. */
  exactNumber(placeholder: string, integer: boolean): string;
  /** True when the driver hands the copy this boolean column's values as true/false or 0/1. */
  booleanColumn(column: ColumnInfo): boolean;
  /** A boolean column compared with a bound true/false, rows holding anything else left out. */
  compareBoolean(quoted: string, op: ComparisonOperator, placeholder: string): string;
}

/** Binds one more value and hands out its placeholder (SqlParams, sql/identifiers.ts). */
export interface BindValue {
  add(value: unknown): string;
}

export interface SqlDialect {
  /** The identifier quoted (and checked, assertIdentifier): the only way a name reaches SQL. */
  quoteIdent(name: string): string;
  /** The database's clock as UTC text 'YYYY-MM-DD HH:MM:SS.ffffff' (cursor reads, sql/cursor-read.ts). */
  utcClockText: string;
  /** Placeholder of the `position`-th bound value, counted from 1 ($n or ?). */
  placeholder(position: number): string;
  /**
   * `(k1, k2) op (v1, v2)` in lexicographic key order, for a key of two or more columns (a
   * single column is compared plainly by tupleComparison). `quotedColumns` are already quoted.
   */
  tupleComparison(params: BindValue, quotedColumns: string[], op: TupleOperator, values: KeyTuple): string;
  /**
   * Where one array parameter can stand for a whole list of single-column keys: the
   * condition "column is one of the array's values". Absent: keys go out as IN lists.
   */
  anyOfArray?(quotedColumn: string, arrayPlaceholder: string): string;
  /** Name and collation (null without one) of each column of a table, looked up by name. */
  collationsStatement(container: string, table: string): Statement;
  /**
   * hashRange's aggregate over the quoted columns: SUM of a 60-bit prefix of each row's MD5,
   * as decimal text. The row text is the database's own, comparable only with the same kind.
   */
  rowHashAggregate(quotedColumns: string[]): string;
  /** Canonical text of one column (portable encoding, canonical-column.ts). */
  canonicalText(column: CanonicalColumn): string;
  /**
   * A text column's field of the portable row text: its length in characters, ':', the
   * canonical text `value`; "N" for NULL. `plain` when no text option applies.
   */
  portableTextField(column: CanonicalColumn, value: string, plain: boolean): string;
  /** The portable encoding's aggregate over a range, from the row's fields (sql/canonical-sql.ts). */
  portableHashAggregate(fields: string[]): string;
  /** The 'postgres' encoding's aggregate; absent where the database cannot compute it. */
  typedHashAggregate?(columns: CanonicalColumn[]): string;
  /** Absent: the database applies no source filter, the copy alone does. */
  filterSql?: FilterSpellings;
}
