import type { ColumnInfo, TableDetail, TableSummary, TypeFamily } from '../connector';
import { TableNotFoundError } from '../database-error';

/**
 * PostgreSQL catalog reads. Names are always bind parameters here; pg_catalog is used
 * rather than information_schema because it is faster and exposes identity, generated
 * columns, enum labels and index definitions.
 */

export type PgQuery = <R>(text: string, values?: unknown[]) => Promise<R[]>;

export interface PgTableShape {
  detail: TableDetail;
  /** Per column: its type without modifiers, for `$n::type` casts ("character varying", not "(10)"). */
  castTypes: Map<string, string>;
}

export async function listPgTables(query: PgQuery, schema: string): Promise<TableSummary[]> {
  const rows = await query<{ name: string; estimated_rows: number }>(
    `SELECT c.relname AS name, c.reltuples::float8 AS estimated_rows
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition`,
    [schema],
  );
  // reltuples is -1 for a table never vacuumed/analyzed (PostgreSQL 14+): report 0.
  return rows
    .map((r) => ({ name: r.name, estimatedRows: Math.max(0, Math.round(r.estimated_rows)) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const FAMILY_BY_TYPE: Record<string, TypeFamily> = {
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  numeric: 'decimal',
  float4: 'float',
  float8: 'float',
  bool: 'boolean',
  bpchar: 'text',
  varchar: 'text',
  text: 'text',
  citext: 'text',
  name: 'text',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  time: 'time',
  timetz: 'time',
  json: 'json',
  jsonb: 'json',
  uuid: 'uuid',
  bytea: 'binary',
  interval: 'interval',
  bit: 'bit',
  varbit: 'bit',
};

interface ColumnRow {
  name: string;
  data_type: string;
  cast_type: string;
  base_type: string;
  type_kind: string;
  is_array: boolean;
  typmod: number;
  not_null: boolean;
  default_value: string | null;
  identity: string;
  generated: string;
  enum_values: string[] | null;
}

// Domains are described by their base type (family, length); arrays are "array" (the element type is in data_type).
const COLUMNS_SQL = `
SELECT a.attname AS name,
       format_type(a.atttypid, a.atttypmod) AS data_type,
       -- The type without modifiers, for casts in write statements. format_type(…, NULL)
       -- says "character"/"bit", which PostgreSQL reads as char(1)/bit(1): use the
       -- unbounded spellings, so a cast never truncates and the column's own limit applies.
       CASE t.typname WHEN 'bpchar' THEN 'bpchar' WHEN 'bit' THEN 'varbit' ELSE format_type(a.atttypid, NULL) END AS cast_type,
       COALESCE(bt.typname, t.typname)::text AS base_type,
       COALESCE(bt.typtype, t.typtype)::text AS type_kind,
       COALESCE(bt.typcategory, t.typcategory) = 'A' AS is_array,
       CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS typmod,
       a.attnotnull OR t.typnotnull AS not_null,
       pg_get_expr(d.adbin, d.adrelid) AS default_value,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
          FROM pg_enum e WHERE e.enumtypid = COALESCE(bt.oid, t.oid)) AS enum_values
  FROM pg_attribute a
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attnum`;

/** Column names of an attnum array, in array order. */
const attnames = (rel: string, keys: string, limit = '') =>
  `(SELECT array_agg(x.attname::text ORDER BY u.ord) FROM unnest(${keys}) WITH ORDINALITY u(k, ord)
     JOIN pg_attribute x ON x.attrelid = ${rel} AND x.attnum = u.k ${limit})`;

const CONSTRAINTS_SQL = `
SELECT con.conname AS name, con.contype::text AS type,
       ${attnames('con.conrelid', 'con.conkey')} AS columns,
       ${attnames('con.confrelid', 'con.confkey')} AS ref_columns,
       rc.relname AS ref_table, rn.nspname AS ref_schema,
       pg_get_constraintdef(con.oid) AS definition
  FROM pg_constraint con
  LEFT JOIN pg_class rc ON rc.oid = con.confrelid
  LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
 WHERE con.conrelid = $1::oid AND con.contype IN ('p', 'u', 'f', 'c')
 ORDER BY con.conname`;

// Unique indexes that are not constraints. Partial and expression indexes are left out:
// they do not make the column values unique across the whole table.
const UNIQUE_INDEXES_SQL = `
SELECT i.relname AS name,
       ${attnames('ix.indrelid', 'ix.indkey::int2[]', 'WHERE u.ord <= ix.indnkeyatts')} AS columns
  FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid
 WHERE ix.indrelid = $1::oid AND ix.indisunique AND NOT ix.indisprimary AND ix.indpred IS NULL
   AND NOT (0 = ANY (ix.indkey::int2[]))
   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = ix.indrelid AND c.conindid = ix.indexrelid)
 ORDER BY i.relname`;

interface ConstraintRow {
  name: string;
  type: string;
  columns: string[] | null;
  ref_columns: string[] | null;
  ref_table: string | null;
  ref_schema: string | null;
  definition: string;
}

function toColumn(r: ColumnRow): ColumnInfo {
  const family: TypeFamily = r.is_array ? 'array' : r.type_kind === 'e' ? 'enum' : (FAMILY_BY_TYPE[r.base_type] ?? 'other');
  const isChar = r.base_type === 'varchar' || r.base_type === 'bpchar';
  // numeric typmod packs ((precision << 16) | scale) + 4; -1 means unconstrained.
  const numeric = r.base_type === 'numeric' && r.typmod >= 4;
  return {
    name: r.name,
    dataType: r.data_type,
    family,
    nullable: !r.not_null,
    defaultValue: r.default_value,
    // serial columns are plain integers whose default draws from a sequence.
    autoGenerated: r.identity !== '' || r.generated !== '' || /^nextval\(/i.test(r.default_value ?? ''),
    maxLength: isChar && r.typmod >= 4 ? r.typmod - 4 : null,
    // Precision/scale only for decimals: integer "precision" differs in meaning across databases.
    numericPrecision: numeric ? ((r.typmod - 4) >> 16) & 0xffff : null,
    numericScale: numeric ? (r.typmod - 4) & 0xffff : null,
    enumValues: family === 'enum' ? (r.enum_values ?? []) : null,
  };
}

export async function describePgTable(query: PgQuery, schema: string, table: string): Promise<PgTableShape> {
  const found = await query<{ oid: string; estimated_rows: number }>(
    `SELECT c.oid::text AS oid, c.reltuples::float8 AS estimated_rows
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')`,
    [schema, table],
  );
  if (found.length === 0) throw new TableNotFoundError(table, schema);
  const { oid, estimated_rows } = found[0];
  const [columnRows, constraints, uniqueIndexes] = await Promise.all([
    query<ColumnRow>(COLUMNS_SQL, [oid]),
    query<ConstraintRow>(CONSTRAINTS_SQL, [oid]),
    query<{ name: string; columns: string[] }>(UNIQUE_INDEXES_SQL, [oid]),
  ]);

  const ofType = (t: string) => constraints.filter((c) => c.type === t);
  const detail: TableDetail = {
    name: table,
    schema,
    estimatedRows: Math.max(0, Math.round(estimated_rows)),
    columns: columnRows.map(toColumn),
    primaryKey: ofType('p')[0]?.columns ?? [],
    uniqueConstraints: [
      ...ofType('u').map((c) => ({ name: c.name, columns: c.columns ?? [] })),
      ...uniqueIndexes.map((i) => ({ name: i.name, columns: i.columns })),
    ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    foreignKeys: ofType('f').map((c) => ({
      name: c.name,
      columns: c.columns ?? [],
      // Same schema: the bare name; another schema: "schema.table".
      referencedTable: c.ref_schema === schema ? (c.ref_table ?? '') : `${c.ref_schema}.${c.ref_table}`,
      referencedColumns: c.ref_columns ?? [],
    })),
    checkConstraints: ofType('c').map((c) => ({ name: c.name, definition: c.definition })),
  };
  for (const check of ofType('c')) {
    const only = check.columns?.length === 1 ? detail.columns.find((column) => column.name === check.columns?.[0]) : undefined;
    if (only) only.checks = [...(only.checks ?? []), { name: check.name, definition: check.definition }];
  }
  return { detail, castTypes: new Map(columnRows.map((r) => [r.name, r.cast_type])) };
}
