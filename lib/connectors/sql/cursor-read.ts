import type { CursorBatch, CursorKind, CursorPosition, CursorReadSpec, CursorReader, KeyTuple } from '../connector';
import type { TypeFamily } from '../type-family';
import { withKeyColumns } from '../with-key-columns';
import type { SqlDialect } from './dialect';
import { SqlParams, tupleComparison, whereClause } from './identifiers';
import { toKeyValue } from './reads';
import type { Statement } from './statement';

/**
 * Cursor reads (Connector.cursorReader) shared by the SQL connectors: rows past a
 * (cursor, key…) position up to a bound, in (cursor, key…) order. The position is compared
 * with the dialect's tuple comparison, the same one keyset reads use, so an index on
 * (cursor, key…) serves it as one range scan on both servers: PostgreSQL's row-value
 * comparison is an index condition; MariaDB gets the expanded form its range optimizer uses
 * (row values there scan the whole index).
 */

type QueryArrays = (text: string, values: unknown[]) => Promise<unknown[][]>;

/** What the connector hands in: its array query, its dialect, the qualified table and the column's family. */
/** The family of a table's column, or a clear error when the table has no such column. */
export function familyOfColumn(columns: readonly { name: string; family: TypeFamily }[], table: string, column: string): TypeFamily {
  const found = columns.find((c) => c.name === column);
  if (!found) throw new Error(`The table "${table}" has no column "${column}"`);
  return found.family;
}

export interface SqlCursorSource {
  queryArrays: QueryArrays;
  dialect: SqlDialect;
  /** The table, already qualified. */
  table: string;
  /** The family of the cursor column (from the connector's cached table description). */
  cursorFamily(): Promise<TypeFamily>;
  /** The connection's zone of timestamps without zone. */
  zone: string;
}

const KIND_BY_FAMILY: Partial<Record<TypeFamily, CursorKind>> = { timestamp: 'wall_time', timestamptz: 'instant', integer: 'integer' };

export function cursorKindOf(family: TypeFamily, column: string): CursorKind {
  const kind = KIND_BY_FAMILY[family];
  if (!kind) throw new Error(`The cursor column "${column}" is a ${family}; a cursor must be a timestamp or an integer`);
  return kind;
}

// The server's text ('2024-05-01 10:00:00.5', PostgreSQL's timestamptz with '+00' in its UTC session).
const TIMESTAMP_TEXT = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(?:\+00(?::00)?)?$/;

/** A cursor value as the canonical text of connector.ts (CursorKind). */
export function canonicalCursorText(value: unknown, kind: CursorKind): string {
  if (kind === 'integer') {
    if (typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value))) return value.toString();
    if (typeof value === 'string' && /^-?\d+$/.test(value)) return value;
  } else if (typeof value === 'string') {
    const match = TIMESTAMP_TEXT.exec(value);
    if (match) return `${match[1]} ${match[2]}.${(match[3] ?? '').padEnd(6, '0')}`;
  }
  // 'infinity', BC dates, an offset other than UTC: no order a cursor can rely on.
  throw new Error(`A cursor value "${String(value)}" is not a plain ${kind === 'integer' ? 'integer' : 'timestamp'}`);
}

/** The columns of the (cursor, key…) order: the cursor first, then the key without it. */
export function cursorOrderColumns(spec: Pick<CursorReadSpec, 'cursorColumn' | 'keyColumns'>): string[] {
  if (spec.keyColumns.length === 0) throw new Error('A cursor read needs at least one key column as tie-breaker');
  return [spec.cursorColumn, ...spec.keyColumns.filter((k) => k !== spec.cursorColumn)];
}

/** Values of the (cursor, key…) order for a position. */
function positionValues(spec: CursorReadSpec, after: CursorPosition): KeyTuple {
  if (after.key.length !== spec.keyColumns.length) throw new Error(`The cursor position has ${after.key.length} key values but the key has ${spec.keyColumns.length} columns`);
  if (after.key.some((v) => v === null)) throw new Error('The cursor position must not contain NULL');
  return [after.cursor, ...after.key.filter((_, i) => spec.keyColumns[i] !== spec.cursorColumn)];
}

/**
 * SELECT of one batch: the requested columns (withKeyColumns order), then the cursor column
 * once more, last, for the position.
 */
export function cursorReadStatement(dialect: SqlDialect, table: string, spec: CursorReadSpec, after: CursorPosition | null, upTo: string, limit: number): Statement {
  if (!Number.isInteger(limit) || limit < 1) throw new Error('batchSize must be a positive integer');
  const params = new SqlParams(dialect);
  const order = cursorOrderColumns(spec).map((c) => dialect.quoteIdent(c));
  const cursor = order[0];
  const selected = [...withKeyColumns(spec.keyColumns, spec.columns), spec.cursorColumn].map((c) => dialect.quoteIdent(c));
  // Placeholders in text order: the bound, then the position, then the limit.
  const conditions = [...spec.keyColumns.map((k) => `${dialect.quoteIdent(k)} IS NOT NULL`), `${cursor} <= ${params.add(upTo)}`];
  if (after) conditions.push(tupleComparison(dialect, params, order, '>', positionValues(spec, after)));
  const text = `SELECT ${selected.join(', ')} FROM ${table}${whereClause(conditions)} ORDER BY ${order.join(', ')} LIMIT ${params.add(limit)}`;
  return { text, values: params.values };
}

/** The CursorReader of a SQL table. */
export function sqlCursorReader(source: SqlCursorSource, spec: CursorReadSpec): CursorReader {
  const { queryArrays, dialect, table } = source;
  const cursor = dialect.quoteIdent(spec.cursorColumn);
  const selected = withKeyColumns(spec.keyColumns, spec.columns);
  const keyAt = spec.keyColumns.map((k) => selected.indexOf(k));
  let kind: Promise<CursorKind> | null = null;
  const kindOf = (): Promise<CursorKind> => {
    if (!kind) {
      kind = source.cursorFamily().then((family) => cursorKindOf(family, spec.cursorColumn));
      // A failed look-up (a dropped connection) is asked again, not cached.
      kind.catch(() => {
        kind = null;
      });
    }
    return kind;
  };
  const single = async (text: string, values: unknown[] = []): Promise<unknown> => (await queryArrays(text, values))[0]?.[0] ?? null;

  return {
    async probe() {
      const k = await kindOf();
      // Each an index look-up where (cursor, …) is indexed: MAX and IS NULL read one end of it.
      const [now, max, nulls] = await Promise.all([
        single(`SELECT ${dialect.utcClockText}`),
        single(`SELECT MAX(${cursor}) FROM ${table}`),
        single(`SELECT COUNT(*) FROM ${table} WHERE ${cursor} IS NULL`),
      ]);
      return {
        kind: k,
        zone: k === 'wall_time' ? source.zone : 'UTC',
        now: `${canonicalCursorText(now, 'instant').replace(' ', 'T')}Z`,
        max: max === null ? null : canonicalCursorText(max, k),
        nullCursorRows: Number(nulls),
      };
    },

    async countAbove(value) {
      await kindOf();
      const params = new SqlParams(dialect);
      return Number(await single(`SELECT COUNT(*) FROM ${table} WHERE ${cursor} > ${params.add(value)}`, params.values));
    },

    async readAfter(after, upTo, limit): Promise<CursorBatch> {
      const k = await kindOf();
      const s = cursorReadStatement(dialect, table, spec, after, upTo, limit);
      const raw = await queryArrays(s.text, s.values);
      const rows: unknown[][] = [];
      const cursors: string[] = [];
      for (const row of raw) {
        cursors.push(canonicalCursorText(row.pop(), k));
        rows.push(row);
      }
      const lastRow = rows.at(-1);
      const last = lastRow ? { cursor: cursors[cursors.length - 1], key: keyAt.map((i) => toKeyValue(lastRow[i])) } : null;
      return { rows, cursors, last };
    },
  };
}
